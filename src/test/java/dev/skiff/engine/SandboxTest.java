package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InternalException;
import dev.skiff.errors.UnavailableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** How a start sees its network's wiring, which runs beside the runtime's create. */
class SandboxTest {
    private static ContainerNetworking.Sandbox sandbox(CompletableFuture<Void> wired) {
        return new ContainerNetworking.Sandbox("/run/skiff/netns/x", "10.0.0.2", "10.0.0.1", List.of(), false, wired, "");
    }

    @Test
    void wiredAlready_waitsForNothing() {
        assertThatCode(() -> new ContainerNetworking.Sandbox("/ns", "10.0.0.2", "10.0.0.1", List.of(), false).awaitWired())
                .doesNotThrowAnyException();
    }

    @Test
    void theDriversError_isThrownAsItWasRaised() {
        UnavailableException cni = new UnavailableException("CNI plugin bridge ADD failed: invalid argument");
        assertThatThrownBy(() -> sandbox(CompletableFuture.failedFuture(cni)).awaitWired()).isSameAs(cni);
    }

    @Test
    void anyOtherFailure_becomesAnInternalError_soTheStartCleansUp() {
        IllegalStateException bug = new IllegalStateException("boom");
        assertThatThrownBy(() -> sandbox(CompletableFuture.failedFuture(bug)).awaitWired())
                .isInstanceOf(InternalException.class).hasCause(bug).hasMessageContaining("/run/skiff/netns/x");
    }

    @Test
    void awaitQuietly_waitsForTheEnd_andSwallowsTheFailure() throws Exception {
        CompletableFuture<Void> wired = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> sandbox(wired).awaitQuietly());
        waiter.join(100);
        assertThat(waiter.isAlive()).as("still wiring").isTrue();
        wired.completeExceptionally(new UnavailableException("failed"));
        waiter.join(5000);
        assertThat(waiter.isAlive()).isFalse();
    }
}
