package dev.queuebench.tck.selftest;

import static dev.queuebench.tck.selftest.Variant.configured;
import static dev.queuebench.tck.selftest.Variant.decorated;

import dev.queuebench.api.BackendConfig;
import dev.queuebench.api.Backoff;
import dev.queuebench.api.BackendClosedException;
import dev.queuebench.api.Capabilities;
import dev.queuebench.api.Capabilities.Durability;
import dev.queuebench.api.Capabilities.Feature;
import dev.queuebench.api.ClaimedJob;
import dev.queuebench.api.DeadJob;
import dev.queuebench.api.FailResult;
import dev.queuebench.api.FailResult.Outcome;
import dev.queuebench.api.InvalidQueueNameException;
import dev.queuebench.api.JobRequest;
import dev.queuebench.api.JobTooLargeException;
import dev.queuebench.api.QueueBackend;
import dev.queuebench.api.QueueMetrics;
import dev.queuebench.api.QueueStats;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The broken backends the kit must fail, each the reference backend with one defect, grouped by clause. */
final class Catalogue {
    private Catalogue() {}

    /** Every broken variant. */
    static List<Variant> all() {
        List<Variant> all = new ArrayList<>();
        all.addAll(values());
        all.addAll(leases());
        all.addAll(waiting());
        all.addAll(admin());
        return all;
    }

    /** The one named {@code name}, or the reference for {@code Reference}. */
    static Variant named(String name) {
        if (name.equals(Variant.reference().name())) {
            return Variant.reference();
        }
        if (name.equals(declaringNothingOptional().name())) {
            return declaringNothingOptional();
        }
        if (name.equals(judgingLeasesLateInItsCalls().name())) {
            return judgingLeasesLateInItsCalls();
        }
        if (name.equals(wokenLateInABurstOfLoad().name())) {
            return wokenLateInABurstOfLoad();
        }
        return all().stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant " + name));
    }

    /** Not broken: the reference declaring no feature and best-effort order, which the kit must pass. */
    static Variant declaringNothingOptional() {
        return decorated("DeclaresNothingOptional", "none: declares no feature and best-effort order",
                q -> withCapabilities(q, c -> new Capabilities(c.durability(), Capabilities.Ordering.ORDER_BEST_EFFORT,
                        c.maxPayloadBytes(), c.pollInterval(), Set.of())));
    }

    /**
     * Not broken: the reference judging leases late within its calls, as a loaded server does (a lock wait before the
     * statement runs). Every 10th complete and fail of a lease ending within a second waits past its expiry before
     * it is judged (and rightly refused); every claim with a lease of a minute or more waits 700 ms before it looks.
     */
    static Variant judgingLeasesLateInItsCalls() {
        return decorated("JudgesLeasesLateInItsCalls", "none: judges leases late within its calls, as under load",
                q -> new LateJudging(q));
    }

    /**
     * Not broken: the reference woken late in a burst of load, as a starved JVM or server is: its first two waiting
     * claims that find a job return it 400 ms late, every later one at once.
     */
    static Variant wokenLateInABurstOfLoad() {
        return decorated("WokenLateInABurstOfLoad", "none: its first two wake-ups come 400 ms late, as under load",
                q -> new ForwardingBackend(q) {
                    private final AtomicInteger lateWakeUps = new AtomicInteger(2);

                    @Override
                    public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                        List<ClaimedJob> got = inner.claim(queue, max, lease, wait);
                        if (!wait.isZero() && !got.isEmpty() && lateWakeUps.getAndDecrement() > 0) {
                            LateJudging.waitUntil(Instant.now().plusMillis(400));
                        }
                        return got;
                    }
                });
    }

    // ---------------------------------------------------------------- values, order, batches, payloads

    static List<Variant> values() {
        return List.of(
                decorated("ReportsTheSecondAttemptOnTheFirstClaim", "claim reports attempt + 1",
                        q -> mapClaims(q, j -> ForwardingBackend.reported(j, j.payload(), j.priority(),
                                j.attempt() + 1, j.enqueuedAt(), j.leaseExpiresAt())),
                        "enqueuedJobIsClaimedWithItsDataAndFirstAttempt"),
                decorated("StampsEnqueuedAtAnHourEarly", "enqueuedAt an hour off the backend's clock",
                        q -> mapClaims(q, j -> ForwardingBackend.reported(j, j.payload(), j.priority(),
                                j.attempt(), j.enqueuedAt().minusSeconds(3600), j.leaseExpiresAt())),
                        "enqueuedJobIsClaimedWithItsDataAndFirstAttempt"),
                decorated("ReportsLeaseExpiryASecondEarly", "leaseExpiresAt a second before the lease ends",
                        q -> mapClaims(q, j -> ForwardingBackend.reported(j, j.payload(), j.priority(),
                                j.attempt(), j.enqueuedAt(), j.leaseExpiresAt().minusSeconds(1))),
                        "enqueuedJobIsClaimedWithItsDataAndFirstAttempt"),
                decorated("OrdersIntegerMinValueFirst", "claim order negates the priority, so MIN_VALUE overflows",
                        q -> new StoredPriority(q, p -> p == Integer.MIN_VALUE ? Integer.MAX_VALUE : p),
                        "higherPriorityIsClaimedFirstIncludingTheExtremes"),
                decorated("IgnoresPriorities", "every job is stored at priority 0",
                        q -> new StoredPriority(q, p -> 0),
                        "higherPriorityIsClaimedFirstIncludingTheExtremes",
                        "batchClaimTakesTheHighestPrioritiesFirst"),
                decorated("StoresBatchesInReverseOrder", "enqueueAll stores its jobs last to first",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<String> enqueueAll(String queue, List<JobRequest> requests) {
                                List<JobRequest> reversed = new ArrayList<>(requests);
                                Collections.reverse(reversed);
                                List<String> ids = new ArrayList<>(inner.enqueueAll(queue, reversed));
                                Collections.reverse(ids);
                                return ids;
                            }
                        },
                        "jobsOfOnePriorityAreClaimedInEnqueueOrderWhereStrict"),
                decorated("ReturnsBatchIdsOutOfOrder", "enqueueAll returns its ids reversed",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<String> enqueueAll(String queue, List<JobRequest> requests) {
                                List<String> ids = new ArrayList<>(inner.enqueueAll(queue, requests));
                                Collections.reverse(ids);
                                return ids;
                            }
                        },
                        "batchesOfOneHundredAndOneThousandRoundTripInOrder"),
                decorated("AtomicOnlyUpToOneHundredJobs", "enqueueAll stores batches in chunks of 100",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<String> enqueueAll(String queue, List<JobRequest> requests) {
                                List<String> ids = new ArrayList<>();
                                for (int from = 0; from < requests.size(); from += 100) {
                                    ids.addAll(inner.enqueueAll(queue,
                                            requests.subList(from, Math.min(requests.size(), from + 100))));
                                }
                                return ids;
                            }
                        },
                        "batchWithAnOversizedPayloadStoresNothingWhateverItsSize"),
                decorated("ClaimsOneJobTooMany", "a batch claim takes maxJobs + 1",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                                return inner.claim(queue, max + 1, lease, wait);
                            }
                        },
                        "batchClaimTakesExactlyMaxJobsWhenMoreAreReady"),
                decorated("RejectsAPayloadOfExactlyTheLimit", "a payload of maxPayloadBytes is rejected",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public String enqueue(String queue, JobRequest request) {
                                int max = capabilities().maxPayloadBytes();
                                if (request.payload().length >= max) {
                                    throw new JobTooLargeException(request.payload().length, max);
                                }
                                return inner.enqueue(queue, request);
                            }
                        },
                        "payloadOfExactlyTheDeclaredLimitRoundTrips"),
                decorated("TruncatesPayloadsAboveOneMebibyte", "bytes above 1 MiB are lost while 16 MiB is declared",
                        q -> mapClaims(q, j -> ForwardingBackend.reported(j,
                                Arrays.copyOf(j.payload(), Math.min(j.payload().length, 1 << 20)), j.priority(),
                                j.attempt(), j.enqueuedAt(), j.leaseExpiresAt())),
                        "payloadOfExactlyTheDeclaredLimitRoundTrips"),
                decorated("AcceptsOneByteOverTheLimit", "declares a limit one byte below what it accepts",
                        q -> withCapabilities(q, c -> new Capabilities(c.durability(), c.ordering(),
                                c.maxPayloadBytes() - 1, c.pollInterval(), c.features())),
                        "payloadOneByteOverTheLimitIsRejectedAndNothingStored"),
                decorated("DeclaresVolatileDurabilityButLivesInTheProcess", "durability VOLATILE, jobs die with it",
                        q -> withCapabilities(q, c -> new Capabilities(Durability.VOLATILE, c.ordering(),
                                c.maxPayloadBytes(), c.pollInterval(), c.features())),
                        "jobOutlivesTheBackendThatEnqueuedItUnlessDurabilityIsProcess"));
    }

    // ---------------------------------------------------------------- leases, fencing, retries

    static List<Variant> leases() {
        return List.of(
                decorated("DeliversALeasedJobAgainWithTheSameToken", "every 10th claim repeats the previous job",
                        q -> new Redelivering(q, false),
                        "concurrentSingleClaimersNeverHoldOneJobAtOnce",
                        "concurrentBatchClaimersNeverHoldOneJobAtOnce"),
                decorated("DeliversALeasedJobAgainWithAFreshToken", "every 10th claim repeats it under a new token",
                        q -> new Redelivering(q, true),
                        "concurrentSingleClaimersNeverHoldOneJobAtOnce",
                        "concurrentBatchClaimersNeverHoldOneJobAtOnce"),
                decorated("MeasuresLeasesFromEnqueueTime", "a lease ends at enqueuedAt + duration",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                                List<ClaimedJob> out = new ArrayList<>();
                                for (ClaimedJob j : inner.claim(queue, max, lease, wait)) {
                                    Instant end = j.enqueuedAt().plus(lease);
                                    Duration left = Duration.between(Instant.now(), end);
                                    inner.extendLease(j, left.toMillis() < 1 ? Duration.ofMillis(1) : left);
                                    out.add(ForwardingBackend.reported(j, j.payload(), j.priority(), j.attempt(),
                                            j.enqueuedAt(), end));
                                }
                                return out;
                            }
                        },
                        "leaseRunsFromClaimTimeNotFromEnqueueTime"),
                decorated("ExtendsFromTheOldExpiry", "extendLease adds the duration to the old expiry",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public boolean extendLease(ClaimedJob job, Duration duration) {
                                return inner.extendLease(job,
                                        Duration.between(Instant.now(), job.leaseExpiresAt().plus(duration)));
                            }
                        },
                        "extendedLeaseRunsFromNowNotFromItsOldExpiry"),
                decorated("RedeliversAtHalfTheLease", "the lease really lasts half what it reports",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                                return inner.claim(queue, max, lease.dividedBy(2), wait).stream()
                                        .map(j -> ForwardingBackend.reported(j, j.payload(), j.priority(),
                                                j.attempt(), j.enqueuedAt(), j.leaseExpiresAt()
                                                        .plus(lease.dividedBy(2)))).toList();
                            }
                        },
                        "expiredLeaseIsRedeliveredWithNextAttemptNotBeforeItsExpiry",
                        "leaseRunsFromClaimTimeNotFromEnqueueTime"),
                decorated("FailAcceptsAnExpiredLease", "fail of an expired, not yet reclaimed lease schedules a retry",
                        q -> new LatestTokens(q) {
                            @Override
                            public FailResult fail(ClaimedJob job, String error) {
                                FailResult result = inner.fail(job, error);
                                return result.outcome() == Outcome.LEASE_LOST && isLatest(job)
                                        ? FailResult.retryAt(Instant.now().plusMillis(250)) : result;
                            }
                        },
                        "expiredLeaseCannotFailCompleteOrExtendEvenBeforeAnotherClaim"),
                decorated("CompleteIgnoresTheToken", "complete uses the job's current token, whatever it is given",
                        q -> new LatestTokens(q) {
                            @Override
                            public boolean complete(ClaimedJob job) {
                                String token = latest.get(job.queue() + '/' + job.id());
                                return inner.complete(token == null ? job : ForwardingBackend.withToken(job, token));
                            }
                        },
                        "staleLeaseCannotCompleteFailOrExtendAfterRedelivery"),
                decorated("AcceptsASecondSettlementOfOneLease", "a settled lease completes or fails again",
                        q -> new ForwardingBackend(q) {
                            private final Set<String> settled = ConcurrentHashMap.newKeySet();

                            @Override
                            public boolean complete(ClaimedJob job) {
                                return inner.complete(job) ? settled.add(job.leaseToken())
                                        : settled.contains(job.leaseToken());
                            }

                            @Override
                            public FailResult fail(ClaimedJob job, String error) {
                                FailResult result = inner.fail(job, error);
                                if (result.outcome() != Outcome.LEASE_LOST) {
                                    settled.add(job.leaseToken());
                                    return result;
                                }
                                return settled.contains(job.leaseToken())
                                        ? FailResult.retryAt(Instant.now().plusMillis(250)) : result;
                            }
                        },
                        "settledLeaseCannotBeUsedAgain"),
                decorated("RefusesEveryTwentiethValidComplete", "every 20th complete answers false on a valid lease",
                        q -> new ForwardingBackend(q) {
                            private final AtomicInteger completes = new AtomicInteger();

                            @Override
                            public boolean complete(ClaimedJob job) {
                                return completes.incrementAndGet() % 20 != 0 && inner.complete(job);
                            }
                        },
                        "soakOfProducersConsumersFailuresAndExpiriesBalancesTheLedger"),
                decorated("FencesIgnoringTheQueue", "a lease of queue A settles the same id named in queue B",
                        q -> new LatestTokens(q) {
                            @Override
                            public boolean complete(ClaimedJob job) {
                                return inner.complete(job) || queues.stream()
                                        .anyMatch(other -> inner.complete(ForwardingBackend.inQueue(job, other)));
                            }
                        },
                        "leaseOfOneQueueIsRefusedForTheSameIdNamedInAnother"),
                decorated("CompleteAllUsesTheFirstJobsQueue", "completeAll settles every job in the first's queue",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<Boolean> completeAll(List<ClaimedJob> jobs) {
                                return jobs.stream().map(j -> inner.complete(
                                        ForwardingBackend.inQueue(j, jobs.getFirst().queue()))).toList();
                            }
                        },
                        "completeAllAnswersEachJobOnItsOwn"),
                decorated("CompleteAllAnswersInReverse", "completeAll's answers come last job first",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<Boolean> completeAll(List<ClaimedJob> jobs) {
                                List<Boolean> answers = new ArrayList<>(inner.completeAll(jobs));
                                Collections.reverse(answers);
                                return answers;
                            }
                        },
                        "completeAllAnswersEachJobOnItsOwn"),
                decorated("NamesExpiredLeasesTimedOut", "a job dead by lease expiry has last error 'timed out'",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<DeadJob> deadLetters(String queue, int limit) {
                                return inner.deadLetters(queue, limit).stream().map(d -> new DeadJob(d.id(),
                                        d.queue(), d.payload(), d.attempts(),
                                        "lease expired".equals(d.lastError()) ? "timed out" : d.lastError(),
                                        d.enqueuedAt())).toList();
                            }
                        },
                        "expiryOfTheLastAttemptMakesTheJobDeadWithErrorLeaseExpired",
                        "jobWhoseLastLeaseExpiredIsListedAndRequeuedWithoutAnyClaim"),
                configured("RetriesWithoutBackoff", "retries are due at once",
                        c -> c.with(Backoff.BASE, "0ms").with(Backoff.MAX, "0ms"),
                        "failedJobIsRetriedAfterBackoffAndNotBefore",
                        "retryDelaysGrowExponentiallyFromTheBaseAndAreCappedAtTheMax"),
                configured("ConstantBackoff", "every retry waits the base (the max is ignored)",
                        c -> c.with(Backoff.MAX, c.values().get(Backoff.BASE.name())),
                        "retryDelaysGrowExponentiallyFromTheBaseAndAreCappedAtTheMax"),
                configured("UncappedBackoff", "the configured max is ignored",
                        c -> c.with(Backoff.MAX, "1d"),
                        "retryDelaysGrowExponentiallyFromTheBaseAndAreCappedAtTheMax"),
                configured("BackoffWithoutJitter", "every retry of a burst waits the same",
                        c -> c.with(Backoff.JITTER, "0"),
                        "retryDelaysOfABurstAreJittered"));
    }

    // ---------------------------------------------------------------- waiting

    static List<Variant> waiting() {
        return List.of(
                decorated("DeclaresWakeOnEnqueueButPolls", "a waiting claim looks again each second only",
                        q -> new Polling(withCapabilities(q, c -> new Capabilities(c.durability(), c.ordering(),
                                c.maxPayloadBytes(), Duration.ofSeconds(1), c.features())), Duration.ofSeconds(1)),
                        "waitingClaimIsWokenByAnEnqueueWithinItsDeclaredBound"),
                decorated("PollsSlowerThanItDeclares", "declares a 100 ms poll and no wake-up, looks every 3 s",
                        q -> new Polling(withCapabilities(q, c -> new Capabilities(c.durability(), c.ordering(),
                                c.maxPayloadBytes(), Duration.ofMillis(100), c.features().stream()
                                        .filter(f -> f != Feature.WAKE_ON_ENQUEUE).collect(Collectors.toSet()))),
                                Duration.ofSeconds(3)),
                        "waitingClaimIsWokenByAnEnqueueWithinItsDeclaredBound"),
                decorated("WaitingClaimWokenOnlyByEnqueues", "due delayed jobs and expired leases wake no waiter",
                        q -> new Polling(q, Duration.ofSeconds(30)) {
                            @Override
                            public String enqueue(String queue, JobRequest request) {
                                String id = inner.enqueue(queue, request);
                                wake();
                                return id;
                            }
                        },
                        "waitingClaimPicksUpADelayedJobWhenItComesDueWithinThePollInterval",
                        "waitingClaimPicksUpAJobWhoseLeaseExpiresWithinThePollInterval"),
                decorated("WaitingClaimGivesUpAtHalfItsTimeout", "an empty claim returns after half its wait",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                                return inner.claim(queue, max, lease, wait.dividedBy(2));
                            }
                        },
                        "claimOnEmptyQueueReturnsNothingOnceItsWaitIsOver"),
                decorated("WaitingClaimOverstaysItsTimeout", "an empty claim waits two seconds too long",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                                return inner.claim(queue, max, lease, wait.isZero() ? wait : wait.plusSeconds(2));
                            }
                        },
                        "claimOnEmptyQueueReturnsNothingOnceItsWaitIsOver"),
                decorated("WaitingClaimOutlivesClose", "a waiting claim keeps waiting after close",
                        q -> new Polling(q, Duration.ofMillis(20)) {
                            @Override
                            List<ClaimedJob> look(String queue, int max, Duration lease) {
                                try {
                                    return inner.claim(queue, max, lease, Duration.ZERO);
                                } catch (BackendClosedException e) {
                                    return List.of();
                                }
                            }
                        },
                        "waitingClaimEndsSoonAfterTheBackendCloses"));
    }

    // ---------------------------------------------------------------- admin, lifecycle, meters

    static List<Variant> admin() {
        return List.of(
                decorated("DeadLettersOfEveryQueue", "deadLetters lists the dead of every queue",
                        q -> new LatestTokens(q) {
                            @Override
                            public List<DeadJob> deadLetters(String queue, int limit) {
                                return queues.stream().flatMap(other -> inner.deadLetters(other, limit).stream())
                                        .limit(limit).toList();
                            }
                        },
                        "everyOperationOnOneQueueLeavesAnotherQueueAlone"),
                decorated("RequeueDeadOfEveryQueue", "requeueDead requeues the dead of every queue",
                        q -> new LatestTokens(q) {
                            @Override
                            public long requeueDead(String queue) {
                                long mine = inner.requeueDead(queue);
                                queues.forEach(inner::requeueDead);
                                return mine;
                            }
                        },
                        "everyOperationOnOneQueueLeavesAnotherQueueAlone"),
                decorated("PurgesEveryQueue", "purge empties every queue",
                        q -> new LatestTokens(q) {
                            @Override
                            public long purge(String queue) {
                                long mine = inner.purge(queue);
                                queues.forEach(inner::purge);
                                return mine;
                            }
                        },
                        "purgeRemovesEveryStateAndLeavesOtherQueuesAlone",
                        "everyOperationOnOneQueueLeavesAnotherQueueAlone"),
                decorated("PurgeLeavesTheQueueLocked", "purge takes a lock it never releases",
                        q -> new Locking(q), "queueStaysUsableFromAnotherThreadAfterEveryOperation"),
                decorated("RequeueDeadKeepsAttempts", "a requeued job's next claim reports attempt 2",
                        q -> new ForwardingBackend(q) {
                            private final Set<String> requeued = ConcurrentHashMap.newKeySet();

                            @Override
                            public long requeueDead(String queue) {
                                inner.deadLetters(queue, Integer.MAX_VALUE).forEach(d -> requeued.add(d.id()));
                                return inner.requeueDead(queue);
                            }

                            @Override
                            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                                return inner.claim(queue, max, lease, wait).stream().map(j -> requeued.contains(
                                        j.id()) ? ForwardingBackend.reported(j, j.payload(), j.priority(),
                                        j.attempt() + 1, j.enqueuedAt(), j.leaseExpiresAt()) : j).toList();
                            }
                        },
                        "requeueDeadMakesDeadJobsReadyWithAttemptsReset"),
                decorated("StatsCountNoDeadJobs", "stats reports zero dead",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public QueueStats stats(String queue) {
                                QueueStats s = inner.stats(queue);
                                return new QueueStats(s.ready(), s.scheduled(), s.leased(), 0);
                            }
                        },
                        "statsAreExactAtRest"),
                decorated("StatsSettleOnlyWhenAnotherOperationRuns", "stats repeat their last answer until a change",
                        q -> new CachedStats(q), "statsSettleExpiredLeasesAndDueJobsWithoutAnyOtherOperation"),
                decorated("CloseIsNotIdempotent", "a second close throws",
                        q -> new ForwardingBackend(q) {
                            private final AtomicInteger closes = new AtomicInteger();

                            @Override
                            public void close() {
                                if (closes.incrementAndGet() > 1) {
                                    throw new IllegalStateException("already closed");
                                }
                                inner.close();
                            }
                        },
                        "closeIsIdempotentAndEveryLaterCallThrows"),
                decorated("StatsAnswerAfterClose", "stats of a closed backend answer zeros",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public QueueStats stats(String queue) {
                                try {
                                    return inner.stats(queue);
                                } catch (BackendClosedException e) {
                                    return new QueueStats(0, 0, 0, 0);
                                }
                            }
                        },
                        "closeIsIdempotentAndEveryLaterCallThrows"),
                decorated("DeadLettersAcceptInvalidQueueNames", "deadLetters answers empty for a bad name",
                        q -> new ForwardingBackend(q) {
                            @Override
                            public List<DeadJob> deadLetters(String queue, int limit) {
                                try {
                                    return inner.deadLetters(queue, limit);
                                } catch (InvalidQueueNameException e) {
                                    return List.of();
                                }
                            }
                        },
                        "invalidQueueNamesAreRejectedByEveryOperation"),
                decorated("CountsEveryClaimAsEmpty", "claim.empty counts claims that returned jobs too",
                        (q, config) -> new CountingClaims(q, config, QueueMetrics.CLAIM_EMPTY),
                        "metersCountWhereTheContractSaysTheyCount"),
                decorated("CountsAConflictPerClaim", "claim.conflicts counts every claim",
                        (q, config) -> new CountingClaims(q, config, QueueMetrics.CLAIM_CONFLICTS),
                        "metersCountWhereTheContractSaysTheyCount"));
    }

    // ---------------------------------------------------------------- the decorators the variants share

    /** The reference backend with its claim results changed job by job. */
    private static QueueBackend mapClaims(QueueBackend q, UnaryOperator<ClaimedJob> change) {
        return new ForwardingBackend(q) {
            @Override
            public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
                return inner.claim(queue, max, lease, wait).stream().map(change).toList();
            }
        };
    }

    /** The reference backend declaring other capabilities. */
    private static QueueBackend withCapabilities(QueueBackend q, UnaryOperator<Capabilities> change) {
        Capabilities changed = change.apply(q.capabilities());
        return new ForwardingBackend(q) {
            @Override
            public Capabilities capabilities() {
                return changed;
            }
        };
    }

    /** Stores each job under a changed priority, and reports the one it was given. */
    private static final class StoredPriority extends ForwardingBackend {
        private final UnaryOperator<Integer> stored;
        private final Map<String, Integer> given = new ConcurrentHashMap<>();

        StoredPriority(QueueBackend inner, UnaryOperator<Integer> stored) {
            super(inner);
            this.stored = stored;
        }

        @Override
        public String enqueue(String queue, JobRequest request) {
            String id = inner.enqueue(queue, request.withPriority(stored.apply(request.priority())));
            given.put(id, request.priority());
            return id;
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            return inner.claim(queue, max, lease, wait).stream().map(j -> ForwardingBackend.reported(j, j.payload(),
                    given.getOrDefault(j.id(), j.priority()), j.attempt(), j.enqueuedAt(), j.leaseExpiresAt()))
                    .toList();
        }
    }

    /** Every 10th claim also returns the last job the previous claim handed out. */
    private static final class Redelivering extends ForwardingBackend {
        private final boolean freshToken;
        private final AtomicInteger claims = new AtomicInteger();
        private final AtomicReference<ClaimedJob> last = new AtomicReference<>();

        Redelivering(QueueBackend inner, boolean freshToken) {
            super(inner);
            this.freshToken = freshToken;
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            List<ClaimedJob> claimed = new ArrayList<>(inner.claim(queue, max, lease, wait));
            ClaimedJob previous = claimed.isEmpty() ? null : last.getAndSet(claimed.getLast());
            if (previous != null && claims.incrementAndGet() % 10 == 0) {
                claimed.add(freshToken ? ForwardingBackend.withToken(previous, "again-" + claims.get()) : previous);
            }
            return claimed;
        }
    }

    /** Remembers the queues it saw and the latest token it handed out per job. */
    private static class LatestTokens extends ForwardingBackend {
        final Set<String> queues = ConcurrentHashMap.newKeySet();
        final Map<String, String> latest = new ConcurrentHashMap<>();

        LatestTokens(QueueBackend inner) {
            super(inner);
        }

        @Override
        public String enqueue(String queue, JobRequest request) {
            queues.add(queue);
            return inner.enqueue(queue, request);
        }

        @Override
        public List<String> enqueueAll(String queue, List<JobRequest> requests) {
            queues.add(queue);
            return inner.enqueueAll(queue, requests);
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            List<ClaimedJob> claimed = inner.claim(queue, max, lease, wait);
            claimed.forEach(j -> latest.put(j.queue() + '/' + j.id(), j.leaseToken()));
            return claimed;
        }

        boolean isLatest(ClaimedJob job) {
            return job.leaseToken().equals(latest.get(job.queue() + '/' + job.id()));
        }
    }

    /** A waiting claim that looks with zero-wait claims, then sleeps {@code every} or until {@link #wake()}. */
    private static class Polling extends ForwardingBackend {
        private final Duration every;
        private final Object signal = new Object();

        Polling(QueueBackend inner, Duration every) {
            super(inner);
            this.every = every;
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                List<ClaimedJob> got = look(queue, max, lease);
                long left = deadline - System.nanoTime();
                if (!got.isEmpty() || left <= 0) {
                    return got;
                }
                synchronized (signal) {
                    try {
                        signal.wait(Math.max(1, Math.min(every.toMillis(), left / 1_000_000)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return List.of();
                    }
                }
            }
        }

        List<ClaimedJob> look(String queue, int max, Duration lease) {
            return inner.claim(queue, max, lease, Duration.ZERO);
        }

        void wake() {
            synchronized (signal) {
                signal.notifyAll();
            }
        }
    }

    /** See {@link #judgingLeasesLateInItsCalls()}: a lock wait before some settling calls and long-lease claims. */
    private static final class LateJudging extends ForwardingBackend {
        private final AtomicInteger settlements = new AtomicInteger();

        LateJudging(QueueBackend inner) {
            super(inner);
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            if (lease.compareTo(Duration.ofMinutes(1)) >= 0) {
                waitUntil(Instant.now().plusMillis(700));
            }
            return inner.claim(queue, max, lease, wait);
        }

        @Override
        public boolean complete(ClaimedJob job) {
            waitForTheLock(job);
            return inner.complete(job);
        }

        @Override
        public FailResult fail(ClaimedJob job, String error) {
            waitForTheLock(job);
            return inner.fail(job, error);
        }

        private void waitForTheLock(ClaimedJob job) {
            if (settlements.incrementAndGet() % 10 == 0
                    && job.leaseExpiresAt().isBefore(Instant.now().plusSeconds(1))) {
                waitUntil(job.leaseExpiresAt().plusMillis(100));
            }
        }

        private static void waitUntil(Instant until) {
            for (long left = Duration.between(Instant.now(), until).toNanos(); left > 0;
                    left = Duration.between(Instant.now(), until).toNanos()) {
                LockSupport.parkNanos(left);
            }
        }
    }

    /** Every call takes the backend's lock; purge never gives it back. */
    private static final class Locking extends ForwardingBackend {
        private final ReentrantLock lock = new ReentrantLock();

        Locking(QueueBackend inner) {
            super(inner);
        }

        private <T> T locked(Supplier<T> call) {
            try {
                lock.lockInterruptibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                return call.get();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String enqueue(String queue, JobRequest request) {
            return locked(() -> inner.enqueue(queue, request));
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            return locked(() -> inner.claim(queue, max, lease, wait));
        }

        @Override
        public boolean complete(ClaimedJob job) {
            return locked(() -> inner.complete(job));
        }

        @Override
        public long purge(String queue) {
            lock.lock();
            return inner.purge(queue);
        }
    }

    /** Answers stats from its last answer until another operation runs. */
    private static final class CachedStats extends ForwardingBackend {
        private final Map<String, QueueStats> cache = new ConcurrentHashMap<>();

        CachedStats(QueueBackend inner) {
            super(inner);
        }

        @Override
        public QueueStats stats(String queue) {
            return cache.computeIfAbsent(queue, inner::stats);
        }

        @Override
        public String enqueue(String queue, JobRequest request) {
            cache.clear();
            return inner.enqueue(queue, request);
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            cache.clear();
            return inner.claim(queue, max, lease, wait);
        }
    }

    /** Increments a counter of the contract for every claim that returned jobs. */
    private static final class CountingClaims extends ForwardingBackend {
        private final BackendConfig config;
        private final String meter;

        CountingClaims(QueueBackend inner, BackendConfig config, String meter) {
            super(inner);
            this.config = config;
            this.meter = meter;
        }

        @Override
        public List<ClaimedJob> claim(String queue, int max, Duration lease, Duration wait) {
            List<ClaimedJob> claimed = inner.claim(queue, max, lease, wait);
            if (!claimed.isEmpty()) {
                Counter.builder(meter).tag(QueueMetrics.TAG_BACKEND, name()).tag(QueueMetrics.TAG_QUEUE, queue)
                        .register(config.meterRegistry()).increment();
            }
            return claimed;
        }
    }
}
