package dev.skiff.cli.io;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * --sig-proxy: while attached without a TTY, SIGINT and SIGTERM sent to skiff are forwarded to the
 * container (the daemon's kill endpoint) instead of ending the CLI, as docker does. The JDK's only
 * signal hook is jdk.unsupported's sun.misc.Signal, reached reflectively so the build stays free of
 * proprietary-API warnings; where it is missing, signals simply keep their default effect.
 */
public final class SignalProxy implements AutoCloseable {
    private final List<Object[]> previous = new ArrayList<>();

    private SignalProxy(List<String> signals, Consumer<String> forward) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method getName = signalClass.getMethod("getName");
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            forward.accept("SIG" + getName.invoke(args[0]));
                        }
                        return null;
                    });
            for (String name : signals) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                previous.add(new Object[] {handle, signal, handle.invoke(null, signal, handler)});
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no signal support in this JVM: Ctrl-C ends the CLI and the container keeps running, like docker --sig-proxy=false
        }
    }

    /** Starts forwarding SIGINT and SIGTERM; forward receives "SIGINT"/"SIGTERM". Closing restores the old handlers. */
    public static SignalProxy start(Consumer<String> forward) {
        return new SignalProxy(List.of("INT", "TERM"), forward);
    }

    /** Calls onResize whenever the terminal changes size (SIGWINCH), until closed. */
    public static SignalProxy onWindowChange(Runnable onResize) {
        return new SignalProxy(List.of("WINCH"), sig -> onResize.run());
    }

    @Override
    public void close() {
        for (Object[] p : previous) {
            try {
                ((Method) p[0]).invoke(null, p[1], p[2]);
            } catch (ReflectiveOperationException e) {
                // the previous handler stays replaced; the CLI is exiting anyway
            }
        }
    }
}
