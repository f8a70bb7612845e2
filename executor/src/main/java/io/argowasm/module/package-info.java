/**
 * Where modules come from: a URL, a file, a bundled example or an OCI registry, allowed or refused
 * by {@code ModuleSourcePolicy}, fetched once, checked against its digest and kept compiled by
 * {@code ModuleStore}. Failures are a {@code ModuleLoadException} naming the module and the fix. It
 * may depend on {@code module.oci}, {@code wapc}, {@code budget} and {@code metrics}; not on {@code
 * exec}.
 */
package io.argowasm.module;
