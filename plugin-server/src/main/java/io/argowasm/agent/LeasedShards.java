package io.argowasm.agent;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shards held through Kubernetes Leases, one per shard ({@code <prefix>-shard-<i>}), taken and
 * renewed with fabric8's {@code LeaderElector} and {@code LeaseLock}. Each replica also holds a
 * member Lease of its own ({@code <prefix>-member-<identity>}); the unexpired member Leases tell
 * how many replicas are alive, and each takes at most ⌈shards/replicas⌉. A replica that dies stops
 * renewing: its shards' Leases expire and the others take them within the lease duration. On close
 * every Lease is released, so a shutdown hands its shards over at once.
 */
public final class LeasedShards implements ShardOwnership {

    private static final Logger log = LoggerFactory.getLogger(LeasedShards.class);

    private final KubernetesClient client;
    private final Settings settings;
    private final Map<Integer, CompletableFuture<?>> electors = new ConcurrentHashMap<>();
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService balancer;
    private volatile IntConsumer gained = shard -> {};
    private volatile IntPredicate busy = shard -> false;
    private CompletableFuture<?> member;
    private volatile boolean closed;

    /**
     * @param namespace where the Leases live (the agent's own namespace)
     * @param prefix the Leases' name prefix, the same on every replica
     * @param identity this replica's name, unique among replicas (the pod's name)
     * @param shards how many shards there are, the same on every replica
     */
    public record Settings(
            String namespace,
            String prefix,
            String identity,
            int shards,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {}

    public LeasedShards(KubernetesClient client, Settings settings) {
        this.client = client;
        this.settings = settings;
        this.balancer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "shard-balancer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    @Override
    public boolean owns(int shard) {
        return held.contains(shard);
    }

    /** How many shards this replica holds now. */
    public int held() {
        return held.size();
    }

    @Override
    public synchronized void start(IntConsumer gained, IntPredicate busy) {
        this.gained = gained;
        this.busy = busy;
        member = elect(memberLease(), () -> {}, () -> {});
        balancer.scheduleWithFixedDelay(
                this::balance, 0, settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    }

    private String memberLease() {
        return settings.prefix() + "-member-" + settings.identity();
    }

    private CompletableFuture<?> elect(String lease, Runnable started, Runnable stopped) {
        return client.leaderElector()
                .withConfig(
                        new LeaderElectionConfigBuilder()
                                .withName(lease)
                                .withLock(
                                        new LeaseLock(
                                                settings.namespace(), lease, settings.identity()))
                                .withLeaseDuration(settings.leaseDuration())
                                .withRenewDeadline(settings.renewDeadline())
                                .withRetryPeriod(settings.retryPeriod())
                                .withReleaseOnCancel(true)
                                .withLeaderCallbacks(
                                        new LeaderCallbacks(started, stopped, leader -> {}))
                                .build())
                .build()
                .start();
    }

    /** Takes free shards up to this replica's share, or gives back what is over it. */
    private synchronized void balance() {
        if (closed) {
            return;
        }
        try {
            List<Lease> leases =
                    client.leases().inNamespace(settings.namespace()).list().getItems();
            ZonedDateTime now = ZonedDateTime.now();
            int live = Math.max(1, liveMembers(leases, now));
            int target = (settings.shards() + live - 1) / live;
            // Electors still waiting for a shard another replica took: stop them polling.
            electors.forEach(
                    (shard, elector) -> {
                        if (!held.contains(shard)) {
                            elector.cancel(true);
                        }
                    });
            if (held.size() > target) {
                giveBack(held.size() - target);
            } else if (held.size() < target) {
                contendFor(freeShards(leases, now), target - held.size());
            }
        } catch (KubernetesClientException e) {
            log.warn("could not balance shards: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("could not balance shards", e);
        }
    }

    /** Shards whose Lease is missing, released or expired, starting at this replica's offset. */
    private List<Integer> freeShards(List<Lease> leases, ZonedDateTime now) {
        Set<Integer> taken = new java.util.HashSet<>();
        String prefix = settings.prefix() + "-shard-";
        for (Lease lease : leases) {
            String name = lease.getMetadata().getName();
            if (name.startsWith(prefix) && alive(lease, now)) {
                try {
                    taken.add(Integer.parseInt(name.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    // Not one of ours.
                }
            }
        }
        List<Integer> free = new ArrayList<>();
        int first = Math.floorMod(settings.identity().hashCode(), settings.shards());
        for (int i = 0; i < settings.shards(); i++) {
            int shard = (first + i) % settings.shards();
            if (!taken.contains(shard) && !held.contains(shard)) {
                free.add(shard);
            }
        }
        return free;
    }

    private void contendFor(List<Integer> free, int wanted) {
        for (Integer shard : free.subList(0, Math.min(wanted, free.size()))) {
            CompletableFuture<?> elector = electors.get(shard);
            if (elector != null && !elector.isDone()) {
                continue;
            }
            CompletableFuture<?> started =
                    elect(
                            shardLease(shard),
                            () -> {
                                held.add(shard);
                                log.info("took shard {}", shard);
                                gained.accept(shard);
                            },
                            () -> {
                                if (held.remove(shard)) {
                                    log.info("gave up shard {}", shard);
                                }
                            });
            electors.put(shard, started);
            started.whenComplete((v, e) -> electors.remove(shard, started));
        }
    }

    private void giveBack(int count) {
        List<Integer> mine = new ArrayList<>(held);
        mine.sort(Comparator.comparing((Integer shard) -> busy.test(shard)));
        for (Integer shard : mine.subList(0, Math.min(count, mine.size()))) {
            held.remove(shard); // no new work from it, even before the Lease is released
            CompletableFuture<?> elector = electors.get(shard);
            if (elector != null) {
                elector.cancel(true);
            }
        }
    }

    private String shardLease(int shard) {
        return settings.prefix() + "-shard-" + shard;
    }

    /** The replicas whose member Lease is held and unexpired. */
    private int liveMembers(List<Lease> leases, ZonedDateTime now) {
        String prefix = settings.prefix() + "-member-";
        int live = 0;
        for (Lease lease : leases) {
            if (lease.getMetadata().getName().startsWith(prefix) && alive(lease, now)) {
                live++;
            }
        }
        return live;
    }

    /** Whether a Lease has a holder who renewed it within its duration. */
    private static boolean alive(Lease lease, ZonedDateTime now) {
        var spec = lease.getSpec();
        return spec != null
                && spec.getHolderIdentity() != null
                && !spec.getHolderIdentity().isEmpty()
                && spec.getRenewTime() != null
                && spec.getLeaseDurationSeconds() != null
                && spec.getRenewTime().plusSeconds(spec.getLeaseDurationSeconds()).isAfter(now);
    }

    @Override
    public synchronized void close() {
        closed = true;
        balancer.shutdownNow();
        held.clear();
        electors.values().forEach(elector -> elector.cancel(true));
        if (member != null) {
            member.cancel(true);
        }
    }
}
