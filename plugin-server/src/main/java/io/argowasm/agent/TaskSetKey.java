package io.argowasm.agent;

/** A task set's place: namespace and name, the key of the informer's cache and the work queue. */
record TaskSetKey(String namespace, String name) {

    static TaskSetKey parse(String cacheKey) {
        int slash = cacheKey.indexOf('/');
        return new TaskSetKey(cacheKey.substring(0, slash), cacheKey.substring(slash + 1));
    }

    /** The informer cache's key, {@code namespace/name}. */
    String cacheKey() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return cacheKey();
    }
}
