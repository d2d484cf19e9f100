package io.sightline.udf;

import io.sightline.model.DetectionOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and settings every instance of a UDF runs with.
 *
 * @param detection      detector settings used when a UDF asks for the host's defaults
 * @param memoryMaxPages cap on a UDF's linear memory, in 64 KiB Wasm pages
 * @param timeBudget     wall time one frame may spend inside the UDF, inference excluded; past it the call is
 *                       interrupted
 * @param images         how large an image is decoded, and emitted
 */
public record UdfConfig(DetectionOptions detection, int memoryMaxPages, Duration timeBudget, ImageLimits images) {

    /** 16 MiB: ample for UDFs whose pixels stay on the host side. */
    public static final int DEFAULT_MEMORY_MAX_PAGES = 256;
    /** Wasm's own ceiling, 4 GiB. */
    public static final int MAX_MEMORY_PAGES = 65_536;
    public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(1);

    public UdfConfig {
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(timeBudget, "timeBudget");
        Objects.requireNonNull(images, "images");
        if (memoryMaxPages < 1 || memoryMaxPages > MAX_MEMORY_PAGES) {
            throw new IllegalArgumentException(
                    "memoryMaxPages must be between 1 and " + MAX_MEMORY_PAGES + ", got " + memoryMaxPages);
        }
        if (timeBudget.isNegative() || timeBudget.isZero()) {
            throw new IllegalArgumentException("timeBudget must be positive, got " + timeBudget);
        }
    }

    public UdfConfig(DetectionOptions detection, int memoryMaxPages, Duration timeBudget) {
        this(detection, memoryMaxPages, timeBudget, ImageLimits.defaults());
    }

    public static UdfConfig defaults() {
        return new UdfConfig(DetectionOptions.defaults(), DEFAULT_MEMORY_MAX_PAGES, DEFAULT_TIME_BUDGET);
    }

    public UdfConfig withImages(ImageLimits newImages) {
        return new UdfConfig(detection, memoryMaxPages, timeBudget, newImages);
    }
}
