package io.argowasm.exec;

import io.argowasm.dryrun.DryRun;
import io.argowasm.server.PluginServer;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javalin.Javalin;
import picocli.CommandLine;

/** What a core class must never do; ArchitectureTest proves its rule catches this class. */
public final class FrontDoorsInTheCore {

    Javalin server;
    CommandLine commandLine;
    SharedIndexInformer<?> informer;
    PluginServer sidecar;
    DryRun dryRun;
}
