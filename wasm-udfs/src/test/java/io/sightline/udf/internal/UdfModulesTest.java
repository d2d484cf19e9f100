package io.sightline.udf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Compiled code is made once per module bytes and JVM. */
class UdfModulesTest {

    @Test
    void reusesTheCompiledCodeOfBytesLoadedBeforeWhateverTheyAreCalled() throws IOException {
        byte[] wasm = faceAnnotateWasm();

        UdfModule first = UdfModules.compile("annotate", "1.0.0", wasm);
        UdfModule again = UdfModules.compile("annotate-copy", "2.0.0", wasm.clone());

        assertThat(again.machineFactory()).isSameAs(first.machineFactory());
        assertThat(again.module()).isSameAs(first.module());
        assertThat(again.info().label()).isEqualTo("annotate-copy@2.0.0");
        assertThat(again.info().sha256()).isEqualTo(first.info().sha256());
    }

    @Test
    void compilesDifferentBytesSeparately() throws IOException {
        byte[] wasm = faceAnnotateWasm();
        byte[] tagged = withCustomSection(wasm);

        UdfModule plain = UdfModules.compile("annotate", "1.0.0", wasm);
        UdfModule other = UdfModules.compile("annotate", "1.0.0", tagged);

        assertThat(other.machineFactory()).isNotSameAs(plain.machineFactory());
        assertThat(other.info().sha256()).isNotEqualTo(plain.info().sha256());
    }

    /** The same code with a custom section appended: other bytes, other sha256. */
    static byte[] withCustomSection(byte[] wasm) {
        byte[] section = {0, 4, 3, 't', 'a', 'g'};
        byte[] out = Arrays.copyOf(wasm, wasm.length + section.length);
        System.arraycopy(section, 0, out, wasm.length, section.length);
        return out;
    }

    private static byte[] faceAnnotateWasm() throws IOException {
        try (InputStream in = UdfModulesTest.class.getResourceAsStream("/io/sightline/udf/bundled/face-annotate.wasm")) {
            return in.readAllBytes();
        }
    }
}
