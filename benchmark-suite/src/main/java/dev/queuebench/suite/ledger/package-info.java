/**
 * The ledger: every job enqueued, started and settled, the drain and its verdict (lost, duplicated, dead, the fate of
 * each job with its evidence) and the follow-up of completes whose answer was lost ({@code UnansweredCompletes}). May
 * use {@code workers} and {@code run} for the drain; the verdict itself depends on nothing but the backend API.
 */
package dev.queuebench.suite.ledger;
