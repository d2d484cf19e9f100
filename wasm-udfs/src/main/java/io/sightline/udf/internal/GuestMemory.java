package io.sightline.udf.internal;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reading and writing a guest's linear memory for the host functions: bounds-checked byte ranges, strict UTF-8,
 * capped copies back into the guest, and the checked conversions of raw Wasm values (finite floats, pixel
 * coordinates). A guest that breaks a rule gets a trap with the function's name, never a host exception.
 */
final class GuestMemory {

    static final Pattern METRIC_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private GuestMemory() {}

    /** Writes up to {@code capacity} bytes of {@code value} at {@code ptr}; returns the full length. */
    static long[] writeCapped(Instance instance, String function, byte[] value, int ptr, int capacity) {
        int written = Math.min(value.length, capacity(function, capacity));
        if (written > 0) {
            checkRange(instance.memory(), ptr, written);
            instance.memory().write(ptr, value, 0, written);
        }
        return i32(value.length);
    }

    static int capacity(String function, int capacity) {
        if (capacity < 0) {
            throw new UdfAbiException(function + " capacity must not be negative, got " + capacity);
        }
        return capacity;
    }

    static String text(Instance instance, String function, int ptr, int length, int max) {
        if (length < 0 || length > max) {
            throw new UdfAbiException(function + " length must be 0.." + max + ", got " + length);
        }
        return new String(read(instance, ptr, length), StandardCharsets.UTF_8);
    }

    static byte[] read(Instance instance, int ptr, int length) {
        checkRange(instance.memory(), ptr, length);
        return instance.memory().readBytes(ptr, length);
    }

    static String strictUtf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UdfAbiException(what + " is not valid UTF-8");
        }
    }

    static void checkRange(Memory memory, int ptr, int length) {
        long end = Integer.toUnsignedLong(ptr) + length;
        if (ptr < 0 || end > (long) memory.pages() * Memory.PAGE_SIZE) {
            throw new UdfAbiException("guest memory range " + Integer.toUnsignedString(ptr) + "+" + length
                    + " is out of bounds");
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static long[] i32(int value) {
        return new long[] {value};
    }

    static long[] i64(long value) {
        return new long[] {value};
    }

    static float f32(long raw) {
        return Float.intBitsToFloat((int) raw);
    }

    static float finite(long raw, String name) {
        float value = f32(raw);
        if (!Float.isFinite(value)) {
            throw new UdfAbiException(name + " must be finite, got " + value);
        }
        return value;
    }

    static int pixel(long raw, String name) {
        return Math.round(finite(raw, name));
    }

    static String metricName(Instance instance, int ptr, int length) {
        String name = name(instance, "metric", ptr, length);
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new UdfAbiException("metric name '" + name + "' must be 1-64 of a-z, 0-9 and '_', starting with "
                    + "a letter");
        }
        return name;
    }

    /** A short ASCII name read from guest memory (an output or a metric). */
    static String name(Instance instance, String what, int ptr, int length) {
        if (length < 1 || length > 64) {
            throw new UdfAbiException(what + " name must be 1..64 bytes, got " + length);
        }
        return strictUtf8(read(instance, ptr, length), what + " name");
    }
}
