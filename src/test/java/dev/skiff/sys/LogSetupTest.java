package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    @Test
    void registeredWithLogback() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(p -> p.type().getName())).contains(LogSetup.class.getName());
    }

    @Test
    void stderrAppenderAndLevelFromTheProperty() {
        String old = System.getProperty("skiff.log.level");
        System.setProperty("skiff.log.level", "DEBUG");
        try {
            LoggerContext context = new LoggerContext();
            LogSetup setup = new LogSetup();
            setup.setContext(context);
            setup.configure(context);
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(root.getAppender("STDERR")).isInstanceOf(ConsoleAppender.class);
            assertThat(((ConsoleAppender<?>) root.getAppender("STDERR")).getTarget()).isEqualTo("System.err");
            context.stop();
        } finally {
            if (old == null) {
                System.clearProperty("skiff.log.level");
            } else {
                System.setProperty("skiff.log.level", old);
            }
        }
    }
}
