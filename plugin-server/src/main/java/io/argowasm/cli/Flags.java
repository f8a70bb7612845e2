package io.argowasm.cli;

import io.argowasm.agent.AgentFlags;
import io.argowasm.budget.BudgetFlags;
import io.argowasm.dryrun.DryRunFlags;
import io.argowasm.dryrun.LintFlags;
import io.argowasm.exec.ExecutorFlags;
import io.argowasm.module.ModuleFlags;
import io.argowasm.module.oci.RegistryFlags;
import io.argowasm.server.ServerFlags;
import io.argowasm.wapc.HostFlags;

/**
 * Every flag name of the command line, for the {@code @Option} annotations and for messages. A flag
 * that a message of the core names is declared there, next to what it sets, and re-exported here,
 * so the option and the message that tells the user to raise it cannot drift apart ({@code
 * FlagsTest} checks that every such flag is an option of the commands that use it).
 */
final class Flags {

    // Guests: limits, concurrency, payloads (every command that runs or checks guests).
    static final String MAX_CONCURRENT = ExecutorFlags.MAX_CONCURRENT;
    static final String DEFAULT_TIMEOUT = "--default-timeout";
    static final String MAX_TIMEOUT = ExecutorFlags.MAX_TIMEOUT;
    static final String DEFAULT_MEMORY = "--default-memory";
    static final String MAX_MEMORY = ExecutorFlags.MAX_MEMORY;
    static final String MAX_INPUT_SIZE = ExecutorFlags.MAX_INPUT_SIZE;
    static final String MAX_RESPONSE_SIZE = HostFlags.MAX_RESPONSE_SIZE;
    static final String MAX_OUTPUT_SIZE = ExecutorFlags.MAX_OUTPUT_SIZE;
    static final String MEMORY_BUDGET = BudgetFlags.MEMORY_BUDGET;
    static final String MAX_GUEST_OUTPUT = HostFlags.MAX_GUEST_OUTPUT;
    static final String MAX_GUEST_OUTPUT_LINES = "--max-guest-output-lines";
    static final String MAX_GUEST_FILES = HostFlags.MAX_GUEST_FILES;
    static final String GUEST_LOGS = ExecutorFlags.GUEST_LOGS;
    static final String HTTP_ALLOWED_HOSTS = ExecutorFlags.HTTP_ALLOWED_HOSTS;
    static final String HTTP_TIMEOUT = ExecutorFlags.HTTP_TIMEOUT;
    static final String MAX_HTTP_RESPONSE = ExecutorFlags.MAX_HTTP_RESPONSE;
    static final String NO_METRICS = "--no-metrics";
    static final String REPLY_WITHIN = "--reply-within";
    static final String REQUEUE = "--requeue";
    static final String MAX_ARTIFACT_DISK = ExecutorFlags.MAX_ARTIFACT_DISK;
    static final String MAX_ARCHIVE_RATIO = ExecutorFlags.MAX_ARCHIVE_RATIO;
    static final String WORK_DIR = "--work-dir";

    // Modules: where they may come from, how many are kept.
    static final String MAX_MODULE_SIZE = ModuleFlags.MAX_MODULE_SIZE;
    static final String MODULE_DIR = ModuleFlags.MODULE_DIR;
    static final String MODULE_HOSTS = ModuleFlags.MODULE_HOSTS;
    static final String ALLOW_HTTP = ModuleFlags.ALLOW_HTTP;
    static final String ALLOW_PRIVATE_MODULE_HOSTS = ModuleFlags.ALLOW_PRIVATE_MODULE_HOSTS;
    static final String MAX_MODULES = ModuleFlags.MAX_MODULES;
    static final String MAX_COMPILED_CODE = ModuleFlags.MAX_COMPILED_CODE;
    static final String FIRST_CALLS = ModuleFlags.FIRST_CALLS;
    static final String COMPILE_CACHE = HostFlags.COMPILE_CACHE;
    static final String ALLOW_INSECURE_REGISTRIES = RegistryFlags.ALLOW_INSECURE_REGISTRIES;
    static final String REGISTRY_CONFIG = RegistryFlags.REGISTRY_CONFIG;
    static final String TAG_TTL = "--tag-ttl";

    // Artifacts.
    static final String ARTIFACT_DIR = "--artifact-dir";
    static final String S3_ENDPOINT = "--s3-endpoint";
    static final String S3_BUCKET = "--s3-bucket";
    static final String S3_REGION = "--s3-region";
    static final String S3_INSECURE = "--s3-insecure";
    static final String CONTROLLER_NAMESPACE = "--controller-namespace";

    // Logging, every command.
    static final String LOG_FORMAT = "--log-format";
    static final String LOG_LEVEL = "--log-level";

    // serve.
    static final String PORT = "--port";
    static final String HOST = "--host";
    static final String TOKEN_FILE = ServerFlags.TOKEN_FILE;
    static final String NO_AUTH = ServerFlags.NO_AUTH;
    static final String MAX_BODY_SIZE = ServerFlags.MAX_BODY_SIZE;
    static final String EXIT_AFTER_WARMUP = "--exit-after-warmup";
    static final String SHUTDOWN_GRACE = "--shutdown-grace";
    static final String CLUSTER_PULL_SECRETS = "--cluster-pull-secrets";

    // agent.
    static final String NAMESPACE = "--namespace";
    static final String INSTANCE_ID = "--instance-id";
    static final String FAIL_OTHER_PLUGINS = "--fail-other-plugins";
    static final String HTTP_TEMPLATES = "--http-templates";
    static final String MAX_HTTP_RESPONSE_SIZE = "--max-http-response-size";
    static final String LEASES = "--leases";
    static final String SHARDS = AgentFlags.SHARDS;
    static final String IDENTITY = "--identity";
    static final String LEASE_NAMESPACE = "--lease-namespace";
    static final String LEASE_PREFIX = "--lease-prefix";
    static final String LEASE_DURATION = "--lease-duration";
    static final String RENEW_DEADLINE = "--renew-deadline";
    static final String RETRY_PERIOD = "--retry-period";
    static final String WORKERS = "--workers";
    static final String WRITERS = "--writers";
    static final String RESYNC = "--resync";

    // run.
    static final String MODULE = "--module";
    static final String TEMPLATE = "--template";
    static final String NAME = "--name";
    static final String SHA256 = "--sha256";
    static final String OPERATION = "--operation";
    static final String OPTIONS = "--options";
    static final String TIMEOUT = "--timeout";
    static final String MEMORY = "--memory";
    static final String ARTIFACT = "--artifact";
    static final String OUTPUT_ARTIFACT = "--output-artifact";
    static final String OUTPUT_DIR = "--output-dir";

    // run, dry-run and lint.
    static final String PARAMETER = "--parameter";
    static final String PARAMETER_SHORT = DryRunFlags.PARAMETER;
    static final String OUTPUT = "--output";
    static final String QUIET = "--quiet";
    static final String STRICT = LintFlags.STRICT;
    static final String PLUGIN_MANIFEST = "--plugin-manifest";

    // dry-run.
    static final String PARAMETER_FILE = "--parameter-file";
    static final String ENTRYPOINT = DryRunFlags.ENTRYPOINT;
    static final String STUB = DryRunFlags.STUB;
    static final String STUBS = DryRunFlags.STUBS;
    static final String PARALLELISM = DryRunFlags.PARALLELISM;

    // new and push.
    static final String LANG = "--lang";
    static final String DIR = "--dir";
    static final String USERNAME = "--username";
    static final String PASSWORD_STDIN = "--password-stdin";

    private Flags() {}
}
