package dev.queuebench.suite.report;

import dev.queuebench.suite.report.Profile.Hotspot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The profiles section of the markdown report ({@code -Dprofile=true}): per case its file and top ten lists. */
final class ProfileSection {
    private ProfileSection() {}

    /** The section's lines, or none when no case was profiled. */
    static List<String> markdown(List<ResultRecord> records) {
        List<String> md = new ArrayList<>();
        for (ResultRecord r : records) {
            Profile.in(r.details()).ifPresent(p -> {
                if (md.isEmpty()) {
                    md.add("## Profiles");
                    md.add("");
                    md.add("JDK Flight Recorder, the JDK's `profile` settings, the whole benchmark JVM (workers,"
                            + " producer, recorders and the backend client) over the case's measured repetitions."
                            + " Open a file with JDK Mission Control or `jfr print`.");
                    md.add("");
                }
                md.add("### " + r.id().target() + " " + r.id().suite() + " " + r.id().caseName() + " (`"
                        + p.jfr() + "`)");
                md.add("");
                md.add("| hot method (top frame) | samples | share "
                        + "| allocation site (class) | bytes sampled | share |");
                md.add("|---|---:|---:|---|---:|---:|");
                for (int i = 0; i < Math.max(p.hotMethods().size(), p.allocationSites().size()); i++) {
                    md.add("| " + cells(p.hotMethods(), i, false) + " | " + cells(p.allocationSites(), i, true) + " |");
                }
                md.add(String.format(Locale.ROOT, "| *%,d samples* | | | *%,d bytes sampled* | | |",
                        p.executionSamples(), p.allocationBytesSampled()));
                md.add("");
            });
        }
        return md;
    }

    /** Three cells: the {@code i}-th hotspot's frame, weight and share, or empty ones. */
    private static String cells(List<Hotspot> hotspots, int i, boolean bytes) {
        if (i >= hotspots.size()) {
            return " | | ";
        }
        Hotspot h = hotspots.get(i);
        return "`" + h.frame() + "` | " + String.format(Locale.ROOT, bytes ? "%,d" : "%d", h.weight()) + " | "
                + String.format(Locale.ROOT, "%.1f %%", h.share());
    }
}
