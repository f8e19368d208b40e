package dev.queuebench.suite.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A case's JDK Flight Recorder profile ({@code -Dprofile=true}), carried in the record's details under
 * {@link #DETAIL}: the recording's file in the run folder, and its ten hottest methods and allocation sites.
 *
 * @param jfr                    the recording, relative to the run folder
 * @param executionSamples       {@code jdk.ExecutionSample} events (one per sampled running Java thread)
 * @param hotMethods             top frames of those samples, most sampled first; weight = samples
 * @param allocationBytesSampled the weight of every {@code jdk.ObjectAllocationSample}
 * @param allocationSites        top frame and class of those samples, heaviest first; weight = bytes
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Profile(String jfr, long executionSamples, List<Hotspot> hotMethods, long allocationBytesSampled,
        List<Hotspot> allocationSites) {
    /** The key in {@link ResultRecord#details()}. */
    public static final String DETAIL = "profile";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One frame (a method, or a method and the class it allocates) with its weight and share of the total. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Hotspot(String frame, long weight, double share) {}

    /** The profile in {@code details}, as recorded or as read back from the JSON; empty when none was taken. */
    public static Optional<Profile> in(Map<String, Object> details) {
        Object profile = details.get(DETAIL);
        return profile == null ? Optional.empty() : Optional.of(JSON.convertValue(profile, Profile.class));
    }
}
