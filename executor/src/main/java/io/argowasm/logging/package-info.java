/**
 * The plugin's SLF4J provider: log lines as text or as JSON objects with Argo's keys, the same from
 * every front door. Loaded through {@code META-INF/services}; depends on {@code slf4j-api} only.
 */
package io.argowasm.logging;
