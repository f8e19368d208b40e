/**
 * What each job costs: the server processes' CPU time and resident memory ({@code ServerProcessMeter}, through the
 * backend's {@code dev.queuebench.faults.ServerProcesses}) and the JDK Flight Recorder profile of a case
 * ({@code CaseRecording}). Uses {@code report} for the records it fills; nothing else of the suite.
 */
package dev.queuebench.suite.cost;
