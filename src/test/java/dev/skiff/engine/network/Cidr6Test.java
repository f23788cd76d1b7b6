package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class Cidr6Test {
    @Test
    void parse_clearsHostBits_andFormatsCanonically() {
        assertThat(Cidr6.parse("fd00:1::1/64").toString()).isEqualTo("fd00:1::/64");
        assertThat(Cidr6.parse("FD00:0001:0000:0000:0000:0000:0000:0000/48").toString()).isEqualTo("fd00:1::/48");
        assertThat(Cidr6.parse("::/0").toString()).isEqualTo("::/0");
    }

    @Test
    void format_followsRfc5952() {
        assertThat(Cidr6.canonical("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1"); // the first of equal runs
        assertThat(Cidr6.canonical("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1"); // one zero group stays
        assertThat(Cidr6.canonical("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1"); // the longest run
        assertThat(Cidr6.canonical("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Cidr6.canonical("fd00:0:0:0:0:0:0:0")).isEqualTo("fd00::");
        assertThat(Cidr6.canonical("FD00::ABCD")).isEqualTo("fd00::abcd");
    }

    @Test
    void parse_refusesGarbage_andWhatNamesNoContainerAddress() {
        for (String bad : List.of("", "fd00::", "fd00::/129", "fd00::/x", "fd00:zz::/64", "10.0.0.0/8",
                "fe80::1%eth0/64", "::ffff:10.0.0.1/128", "1:2:3:4:5:6:7:8:9/64")) {
            assertThatThrownBy(() -> Cidr6.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
        assertThat(Cidr6.canonical("fd00::1")).isEqualTo("fd00::1");
        for (String bad : List.of("10.0.0.1", "example.com:80", "fd00::1::2")) { // never a lookup
            assertThatThrownBy(() -> Cidr6.parseAddress(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void contains_andOverlaps_bothWays() {
        Cidr6 big = Cidr6.parse("fd00::/48");
        Cidr6 small = Cidr6.parse("fd00:0:0:5::/64");
        assertThat(big.contains(small)).isTrue();
        assertThat(small.contains(big)).isFalse();
        assertThat(big.overlaps(small)).isTrue();
        assertThat(small.overlaps(big)).isTrue();
        assertThat(small.overlaps(Cidr6.parse("fd00:0:0:6::/64"))).isFalse();
        assertThat(small.contains(Cidr6.parseAddress("fd00:0:0:5:ffff::1"))).isTrue();
        assertThat(Cidr6.format(small.at(1))).isEqualTo("fd00:0:0:5::1");
    }
}
