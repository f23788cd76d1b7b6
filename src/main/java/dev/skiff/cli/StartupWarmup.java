package dev.skiff.cli;

import dev.skiff.sys.Json;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs one-time initialisation that nearly every command needs on a second thread, beside the main one's
 * work. Measured on `skiff ps` with the CLI's AOT cache (which keeps loaded classes, not generated ones or
 * initialised state): picocli's model of the command is ~60 ms, half of it generating the proxy class of
 * each annotation type it reads (@Option, @Parameters, ...); Jackson's ObjectMapper (its date format loads
 * the locale's calendar data), its parser (BigDecimal's constants) and the first unix socket (security
 * providers for its random names) ~60 ms more, one after the other. The main thread first needs @Command,
 * so this one makes the other annotation types' proxies (a proxy class is cached per class loader and
 * interface: the one made here is the one annotation parsing uses), then what the request needs. Class
 * initialisation and proxy generation are thread-safe: whichever thread comes second waits for the first.
 */
final class StartupWarmup {
    private StartupWarmup() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("startup-warmup").start(StartupWarmup::run);
    }

    private static void run() {
        try {
            for (Class<?> annotation : new Class<?>[] {Option.class, Parameters.class, Mixin.class, Spec.class}) {
                Proxy.newProxyInstance(annotation.getClassLoader(), new Class<?>[] {annotation}, (p, m, a) -> null);
            }
            Json.MAPPER.readTree("{\"n\":1.5,\"s\":\"x\"}");
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException | RuntimeException e) {
            // only a head start: the command meets the same failure itself and reports it
        }
    }
}
