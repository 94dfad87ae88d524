package io.searchloop.pairs.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BinaryInTest {

    private static BinaryIn in(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new BinaryIn(b, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 127, 128, 16_383, 16_384, 1 << 28, Integer.MAX_VALUE})
    void shouldReadBackEveryCountInTheBytesItWasWrittenIn(int count) {
        BinaryOut out = new BinaryOut();
        out.writeCount(count);
        BinaryIn in = new BinaryIn(out.toByteArray(), 0);
        assertThat(in.readCount()).isEqualTo(count);
        in.end();
    }

    @Test
    void shouldReadTheLargestCountFromFiveBytes() {
        assertThat(in(0xFF, 0xFF, 0xFF, 0xFF, 0x07).readCount()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x08, 0x10, 0x70, 0x7F})
    void shouldRejectAFifthByteWithBitsBeyondTheInt(int fifth) {
        // 0x10 and 0x70 land entirely beyond bit 31: read as is, they would vanish and the value
        // would read as 0.
        assertThatThrownBy(() -> in(0x80, 0x80, 0x80, 0x80, fifth).readCount())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("malformed state value")
                .hasMessageContaining("longer than 31 bits");
    }

    @Test
    void shouldRejectACountLongerThanFiveBytes() {
        assertThatThrownBy(() -> in(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).readCount())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("malformed state value");
    }

    @Test
    void shouldRejectACountInMoreBytesThanItNeeds() {
        assertThatThrownBy(() -> in(0x80, 0x00).readCount())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("more bytes than it needs");
        assertThatThrownBy(() -> in(0x81, 0x80, 0x00).readCount())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("more bytes than it needs");
    }

    @Test
    void shouldRejectACountCutShort() {
        assertThatThrownBy(() -> in(0x80, 0x80).readCount())
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("needs 1 more bytes, 0 left");
    }
}
