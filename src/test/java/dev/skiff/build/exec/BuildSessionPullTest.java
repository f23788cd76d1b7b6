package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.build.BuildOutput;
import dev.skiff.build.BuildRequest;
import dev.skiff.build.ImagePuller;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.ImageService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Images a build needs are pulled once per build, however many stages ask for them at the same time. */
class BuildSessionPullTest {
    private static final BuildOutput QUIET = new BuildOutput() {
        @Override
        public void stream(String text) {
        }

        @Override
        public void imageId(String id) {
        }
    };

    private static BuildSession session(ImagePuller puller) {
        BuildRequest pullAlways = new BuildRequest("Dockerfile", List.of(), Map.of(), Map.of(), "", false, List.of(),
                true, false, "", Map.of(), List.of(), null, null, 0, "", "", List.of(), null);
        BuildServices services = new BuildServices(pulledImages(), null, null, null, null, null, null, puller, null);
        return new BuildSession(services, pullAlways, null, null, null, null, new Cancellation(), "linux/amd64",
                null, null, null);
    }

    /** An image store that has every image an ID names: what the session holds after a pull. */
    private static ImageService pulledImages() {
        return (ImageService) java.lang.reflect.Proxy.newProxyInstance(ImageService.class.getClassLoader(),
                new Class<?>[] {ImageService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("findIdAndHold") && ((String) args[0]).startsWith("sha256:")) {
                        @SuppressWarnings("unchecked")
                        java.util.function.Consumer<String> hold = (java.util.function.Consumer<String>) args[1];
                        hold.accept((String) args[0]);
                        return Optional.of((String) args[0]);
                    }
                    if (method.getName().equals("findIdAndHold")) {
                        return Optional.empty();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void stagesAskingAtOnce_shareOnePull() throws Exception {
        AtomicInteger pulls = new AtomicInteger();
        CountDownLatch asked = new CountDownLatch(1);
        BuildSession s = session((ref, platform, config, progress) -> {
            pulls.incrementAndGet();
            try {
                asked.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return "sha256:" + "a".repeat(64);
        });
        String[] ids = new String[4];
        Thread[] stages = new Thread[4];
        for (int i = 0; i < stages.length; i++) {
            int n = i;
            stages[i] = Thread.ofVirtual().start(() -> ids[n] = s.imageId("registry.test/base:1", QUIET));
        }
        Thread.sleep(200);
        asked.countDown();
        for (Thread t : stages) {
            t.join();
        }
        assertThat(pulls).hasValue(1);
        assertThat(ids).containsOnly("sha256:" + "a".repeat(64));
    }

    @Test
    void aFailedPull_failsEveryStageThatWaitedForIt() {
        BuildSession s = session((ref, platform, config, progress) -> {
            throw new NotFoundException("manifest unknown: " + ref);
        });
        assertThatThrownBy(() -> s.imageId("registry.test/missing:1", QUIET)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("registry.test/missing:1");
        assertThatThrownBy(() -> s.imageId("registry.test/missing:1", QUIET)).isInstanceOf(NotFoundException.class);
    }
}
