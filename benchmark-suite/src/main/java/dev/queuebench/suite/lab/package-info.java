/**
 * The network lab ({@code -Dlab=hosts=N,rtt=Xms}): network namespaces on this machine, each joined to the host by a
 * veth pair with an emulated round trip ({@code tc netem}), an {@link dev.queuebench.suite.workers.Agent} in each,
 * and TCP relays so the agents reach the servers that listen on this host's loopback. Uses {@code workers} (the agent
 * it starts) and the {@code api} types; {@code run} starts and closes it around a run.
 */
package dev.queuebench.suite.lab;
