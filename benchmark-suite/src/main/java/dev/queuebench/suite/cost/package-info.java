/**
 * What each job costs: the JDK Flight Recorder profile of a case ({@code CaseRecording}). Uses {@code report} for
 * the records it fills; nothing else of the suite.
 */
package dev.queuebench.suite.cost;
