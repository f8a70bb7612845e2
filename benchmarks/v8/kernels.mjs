// Runs the compute kernels on V8 through the reference JavaScript waPC host, @wapc/host:
//   node kernels.mjs KERNELS.wasm KERNEL WARMUP RUNS
// prints {"kernel":..,"millis":[..],"checksum":..} like the native harness.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { instantiate } from '@wapc/host';

const [wasmPath, kernel, warmup, runs] = process.argv.slice(2);
if (!wasmPath || !kernel) {
  console.error('usage: node kernels.mjs KERNELS.wasm KERNEL WARMUP RUNS');
  process.exit(2);
}
const host = await instantiate(readFileSync(wasmPath));
const payload = new TextEncoder().encode('{}');
const decoder = new TextDecoder();

async function call() {
  const reply = JSON.parse(decoder.decode(await host.invoke(kernel, payload)));
  return reply.parameters.checksum;
}

for (let i = 0; i < Number(warmup); i++) {
  await call();
}
const millis = [];
let checksum;
for (let i = 0; i < Number(runs); i++) {
  const start = performance.now();
  checksum = await call();
  millis.push(Number((performance.now() - start).toFixed(3)));
}
console.log(JSON.stringify({ kernel, millis, checksum }));
