package dev.queuebench.suite.cost;

import dev.queuebench.suite.report.Profile;
import dev.queuebench.suite.report.Profile.Hotspot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * One JDK Flight Recorder recording of a case with the JDK's {@code profile} settings (execution samples every
 * 10 ms, allocation samples), written to a {@code .jfr} file that JDK Mission Control or {@code jfr print} opens.
 * It covers the whole JVM: workers, producer, recorders and the backend client alike.
 */
public final class CaseRecording implements AutoCloseable {
    /** Entries of each top list. */
    static final int TOP = 10;
    private final Recording recording;
    private final Path file;

    private CaseRecording(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** Starts recording into {@code file} (its folder is made). */
    public static CaseRecording start(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setName(file.getFileName().toString());
            recording.setToDisk(true);
            recording.start();
            return new CaseRecording(recording, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the profile " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException("the JDK's 'profile' JFR settings do not parse", e);
        }
    }

    /** Stops, writes the file and returns its summary; {@code name} is how the profile names the file. */
    public Profile stop(String name) {
        recording.stop();
        try {
            recording.dump(file);
            return summarize(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the profile " + file, e);
        }
    }

    @Override
    public void close() {
        recording.close();
    }

    /**
     * Moves every {@code .jfr} file of {@code staging} into {@code folder} (made if needed) and removes
     * {@code staging}; nothing happens when it does not exist.
     */
    public static void moveAll(Path staging, Path folder) {
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (Stream<Path> files = Files.list(staging)) {
            Files.createDirectories(folder);
            for (Path f : files.toList()) {
                Files.move(f, folder.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the profiles from " + staging + " to " + folder, e);
        }
    }

    private Profile summarize(String name) throws IOException {
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> sites = new HashMap<>();
        try (RecordingFile events = new RecordingFile(file)) {
            while (events.hasMoreEvents()) {
                RecordedEvent event = events.readEvent();
                String type = event.getEventType().getName();
                if (type.equals("jdk.ExecutionSample")) {
                    methods.merge(topFrame(event, false), 1L, Long::sum);
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    String site = topFrame(event, true) + " (" + event.getClass("objectClass").getName() + ")";
                    sites.merge(site, event.getLong("weight"), Long::sum);
                }
            }
        }
        long samples = methods.values().stream().mapToLong(Long::longValue).sum();
        long bytes = sites.values().stream().mapToLong(Long::longValue).sum();
        return new Profile(name, samples, top(methods, samples), bytes, top(sites, bytes));
    }

    /** The event's top frame as {@code class.method}, with {@code :line} when asked and known. */
    private static String topFrame(RecordedEvent event, boolean withLine) {
        if (event.getStackTrace() == null || event.getStackTrace().getFrames().isEmpty()) {
            return "(no stack)";
        }
        RecordedFrame frame = event.getStackTrace().getFrames().getFirst();
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName()
                + (withLine && frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "");
    }

    private static List<Hotspot> top(Map<String, Long> weights, long total) {
        return weights.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP)
                .map(e -> new Hotspot(e.getKey(), e.getValue(),
                        Math.round(1000.0 * e.getValue() / Math.max(1, total)) / 10.0))
                .toList();
    }
}
