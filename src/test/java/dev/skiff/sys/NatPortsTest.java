package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The -p grammar accepts and refuses what docker CLI 28.2.2 does, with its messages (taken from the real CLI). */
class NatPortsTest {
    @Test
    void parseSpec_everyForm() {
        assertThat(NatPorts.parseSpec("80")).containsExactly(new NatPorts.Mapping("tcp", 80, "", ""));
        assertThat(NatPorts.parseSpec("8080:80")).containsExactly(new NatPorts.Mapping("tcp", 80, "", "8080"));
        assertThat(NatPorts.parseSpec("127.0.0.1:8080:80/udp"))
                .containsExactly(new NatPorts.Mapping("udp", 80, "127.0.0.1", "8080"));
        assertThat(NatPorts.parseSpec("127.0.0.1::80")).containsExactly(new NatPorts.Mapping("tcp", 80, "127.0.0.1", ""));
        assertThat(NatPorts.parseSpec("[::1]:80:80")).containsExactly(new NatPorts.Mapping("tcp", 80, "::1", "80"));
        assertThat(NatPorts.parseSpec("::80")).containsExactly(new NatPorts.Mapping("tcp", 80, "", ""));
        assertThat(NatPorts.parseSpec("8080:80/TCP")).containsExactly(new NatPorts.Mapping("tcp", 80, "", "8080"));
        assertThat(NatPorts.parseSpec("0:80")).containsExactly(new NatPorts.Mapping("tcp", 80, "", "0"));
        assertThat(NatPorts.parseSpec("080")).containsExactly(new NatPorts.Mapping("tcp", 80, "", ""));
        assertThat(NatPorts.parseSpec("80/")).containsExactly(new NatPorts.Mapping("tcp", 80, "", ""));
        assertThat(NatPorts.parseSpec("80/tcp/udp")).containsExactly(new NatPorts.Mapping("tcp", 80, "", ""));
    }

    @Test
    void parseSpec_rangesExpandOneToOne_orGiveAHostRangeForOnePort() {
        assertThat(NatPorts.parseSpec("8000-8002:80-82")).containsExactly(
                new NatPorts.Mapping("tcp", 80, "", "8000"), new NatPorts.Mapping("tcp", 81, "", "8001"),
                new NatPorts.Mapping("tcp", 82, "", "8002"));
        assertThat(NatPorts.parseSpec("8000-8002:80")).containsExactly(new NatPorts.Mapping("tcp", 80, "", "8000-8002"));
        assertThat(NatPorts.parseSpec("80-81/udp")).containsExactly(
                new NatPorts.Mapping("udp", 80, "", ""), new NatPorts.Mapping("udp", 81, "", ""));
        assertThat(NatPorts.parseSpec("80-80")).containsExactly(new NatPorts.Mapping("tcp", 80, "", ""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x:80|invalid hostPort: x",
            "8080:x|invalid containerPort: x",
            "80/foo|invalid proto: foo",
            "1.2.3:80:80|invalid IP address: 1.2.3",
            "8000-8002:80-81|invalid ranges specified for container and host Ports: 80-81 and 8000-8002",
            "70000:80|invalid hostPort: 70000",
            "80-70|invalid containerPort: 80-70",
            "80-|invalid containerPort: 80-",
            "-80|invalid containerPort: -80",
            "1.2.3.4:80|invalid hostPort: 1.2.3.4",
            "+80|invalid containerPort: +80",
            "65536|invalid containerPort: 65536",
            "1:2:3:4|invalid IP address: 1:2",
            "localhost:80:80|invalid IP address: localhost",
            "/tcp|no port specified: /tcp<empty>",
            "80:|no port specified: 80:<empty>",
            "a,b|invalid containerPort: a,b",
            "01.2.3.4:80:80|invalid IP address: 01.2.3.4"})
    void parseSpec_refusesWithDockersMessage(String spec, String message) {
        assertThatThrownBy(() -> NatPorts.parseSpec(spec)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void parseSpec_emptyAndOversized() {
        assertThatThrownBy(() -> NatPorts.parseSpec("")).hasMessage("no port specified: <empty>");
        assertThatThrownBy(() -> NatPorts.parseSpec("1".repeat(300))).hasMessageContaining("too long");
    }

    @Test
    void range_goMessages() {
        assertThat(NatPorts.range("80")).containsExactly(80, 80);
        assertThat(NatPorts.range("1-2-3")).containsExactly(1, 2);
        assertThatThrownBy(() -> NatPorts.range("x")).hasMessage("strconv.ParseUint: parsing \"x\": invalid syntax");
        assertThatThrownBy(() -> NatPorts.range("70000")).hasMessage("strconv.ParseUint: parsing \"70000\": value out of range");
        assertThatThrownBy(() -> NatPorts.range("80-70")).hasMessage("invalid range specified for port: 80-70");
        assertThatThrownBy(() -> NatPorts.range("")).hasMessage("empty string specified for ports");
    }

    @Test
    void splitProtoPort_andIps() {
        assertThat(NatPorts.splitProtoPort("53/udp")).containsExactly("udp", "53");
        assertThat(NatPorts.splitProtoPort("53")).containsExactly("tcp", "53");
        assertThat(NatPorts.splitProtoPort("")).containsExactly("", "");
        for (String ip : List.of("0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1", "fe80::1")) {
            assertThat(NatPorts.isIp(ip)).as(ip).isTrue();
        }
        for (String ip : List.of("256.1.1.1", "1.2.3", "a.b.c.d", "1.2.3.4.5", "::g", "", "example.com")) {
            assertThat(NatPorts.isIp(ip)).as(ip).isFalse();
        }
    }
}
