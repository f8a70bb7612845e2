package io.argowasm.agent;

/**
 * The command-line flags of {@code agent} that the agent's messages name; the command line declares
 * its options with these names.
 */
public final class AgentFlags {

    public static final String SHARDS = "--shards";

    private AgentFlags() {}
}
