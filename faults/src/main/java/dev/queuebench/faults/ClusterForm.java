package dev.queuebench.faults;

/**
 * One replicated configuration of a backend's server that the chaos suite's failover case runs on, as the backend
 * module declares it ({@link BackendFaults#clusterForms()}).
 *
 * @param name         short and stable, e.g. {@code sync-standby}: part of the case's name in records
 * @param description  one line for the report: what replicates to what, and how a commit waits for it
 * @param lossAllowed  true where this configuration lets the leader's death lose writes it had acknowledged (an
 *                     asynchronous standby); false where it declares none lost (a synchronous standby)
 * @param lossNote     one line: why loss is or is not allowed here
 */
public record ClusterForm(String name, String description, boolean lossAllowed, String lossNote) {}
