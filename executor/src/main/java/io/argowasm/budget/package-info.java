/**
 * The sidecar's memory budget: every large allocation a step causes is charged here first, so that
 * running out of heap becomes a step's {@code Pending} or {@code Failed} answer instead of the
 * process's end. Depends on nothing else in the plugin.
 */
package io.argowasm.budget;
