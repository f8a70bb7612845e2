// Writes the C source of the large benchmark guest: FUNCTIONS functions, each a 32-way switch of
// distinct arithmetic and a 64-entry table, reached through a function table so clang keeps them
// all. Its one operation, "run", calls every function once and answers their combined checksum,
// so the first call touches all of the module's code.
//   node generate-large.mjs OUT.c FUNCTIONS
// The source is generated because the built module (over 2 MiB) is too large to keep in git.
import { writeFileSync } from 'node:fs';

const [out, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!out || !Number.isInteger(count) || count < 1) {
  console.error('usage: node generate-large.mjs OUT.c FUNCTIONS');
  process.exit(2);
}

let seed = 0x2545f491;
function next() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed;
}

const ops = [
  (k) => `x = x * ${k | 1}u + ${next()}u;`,
  (k) => `x = (x ^ ${k}u) + (x >> ${1 + (k % 31)});`,
  (k) => `x = (x << ${1 + (k % 31)}) | (x >> ${31 - (k % 31)});`,
  (k) => `x = x - ${k}u + (x & ${next()}u);`,
];

const lines = [
  '#include <stdint.h>',
  '#include "wapc_guest.h"',
  '',
  'typedef uint32_t (*step)(uint32_t);',
];
for (let f = 0; f < count; f++) {
  const table = Array.from({ length: 64 }, () => `${next()}u`).join(',');
  lines.push(`static const uint32_t t${f}[64] = {${table}};`);
  lines.push(`static uint32_t f${f}(uint32_t x) {`);
  lines.push('    switch (x & 31) {');
  for (let c = 0; c < 32; c++) {
    const k = next();
    lines.push(`    case ${c}: ${ops[k % ops.length](k)} ${ops[(k >>> 8) % ops.length](next())} break;`);
  }
  lines.push('    }');
  lines.push(`    return x ^ t${f}[x & 63];`);
  lines.push('}');
}
lines.push(`static const step steps[${count}] = {`);
for (let f = 0; f < count; f++) {
  lines.push(`    f${f},`);
}
lines.push('};');
lines.push(`
static int run(const uint8_t *payload, size_t payload_len) {
    uint32_t x = (uint32_t)payload_len;
    for (size_t i = 0; i < ${count}; i++) {
        x = steps[i](x + (uint32_t)i);
    }
    char response[64] = "{\\"parameters\\":{\\"checksum\\":\\"";
    size_t len = strlen(response);
    for (int shift = 28; shift >= 0; shift -= 4) {
        response[len++] = "0123456789abcdef"[(x >> shift) & 15];
    }
    memcpy(response + len, "\\"}}", 4);
    (void)payload;
    return wapc_respond_text(response);
}

WAPC_EXPORT("wapc_init") void wapc_init(void) { wapc_register("run", run); }
`);
writeFileSync(out, lines.join('\n'));
