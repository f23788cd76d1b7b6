package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.NotModifiedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerServiceTest {
    @TempDir
    Path tmp;
    EngineFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(tmp);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void create_refusesARelativeWorkingDirectoryOrAnUnknownStopSignal_asDockerd() {
        assertThatThrownBy(() -> f.create("wd", "{\"Image\":\"busybox\",\"WorkingDir\":\"rel\"}"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("the working directory 'rel' is invalid, it needs to be an absolute path");
        assertThatThrownBy(() -> f.create("ss", "{\"Image\":\"busybox\",\"StopSignal\":\"BOGUS\"}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageStartingWith("Invalid signal: BOGUS");
        assertThat(f.store.findByName("/ss")).isEmpty(); // nothing half-made
    }

    @Test
    void logDetails_areTheLogOptionsAttributes_sortedByKey() throws Exception {
        f.create("ld", "{\"Image\":\"busybox\",\"Env\":[\"AB=1\",\"B=2\",\"C=3\"],\"Labels\":{\"x\":\"y\",\"z\":\"w\"},"
                + "\"HostConfig\":{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"labels\":\"z,nosuch\","
                + "\"env\":\"C\",\"env-regex\":\"^A\",\"tag\":\"{{.Name}}/{{.ID}}\"}}}}");
        Container c = f.service.get("ld"); // the image's own A=image matches env-regex ^A too
        assertThat(new String(LogDetails.prefix(c), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("A=image,AB=1,C=3,tag=ld/" + c.id().substring(0, 12) + ",z=w ");
        f.create("plain", "{\"Image\":\"busybox\"}");
        assertThat(LogDetails.prefix(f.service.get("plain"))).containsExactly(' '); // dockerd's lone space
    }

    @Test
    void create_mergesImageConfig() throws Exception {
        String id = f.create("web", "{\"Image\":\"busybox\",\"Env\":[\"A=user\",\"B=2\"],\"Labels\":{\"x\":\"y\"}}");
        Container c = f.service.get("web");
        assertThat(c.id()).isEqualTo(id).hasSize(64);
        assertThat(c.name()).isEqualTo("/web");
        assertThat(ConfigMerger.strings(c.config().get("Env"))).containsExactly("PATH=/bin", "A=user", "B=2");
        assertThat(c.path()).isEqualTo("sh");
        assertThat(c.labels()).containsEntry("img", "1").containsEntry("x", "y");
        assertThat(c.config().get("Hostname").asText()).isEqualTo(id.substring(0, 12));
        assertThat(c.hostConfig().get("NetworkMode").asText()).isEqualTo("bridge");
        assertThat(c.state().status()).isEqualTo("created");
        assertThat(f.snapshotter.prepared).containsKey(id);
        assertThat(f.events.recent()).extracting(Event::action).containsExactly("create");
    }

    @Test
    void create_userEntrypointResetsImageCmd() throws Exception {
        f.create("aa", "{\"Image\":\"busybox\",\"Entrypoint\":[\"echo\"]}");
        Container c = f.service.get("aa");
        assertThat(c.path()).isEqualTo("echo");
        assertThat(c.args()).isEmpty();
        assertThatThrownBy(() -> f.create("bb", "{\"Image\":\"busybox\",\"Entrypoint\":[\"\"]}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("No command specified");
    }

    @Test
    void create_validates() {
        assertThatThrownBy(() -> f.create(null, "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1000}}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Minimum memory limit allowed is 6MB");
        assertThatThrownBy(() -> f.create(null, "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("can't create 'AutoRemove' container with restart policy");
        assertThatThrownBy(() -> f.create(null, "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown policy");
        assertThatThrownBy(() -> f.create(null, "{\"Image\":\"nope\"}")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void create_reservesItsNameOnly_andMakesItsSnapshotWithoutHoldingUpOtherCreatesOrRenames() throws Exception {
        java.util.concurrent.CountDownLatch inPrepare = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        f.snapshotter.beforePrepareContainer = key -> {
            if (inPrepare.getCount() > 0) {
                inPrepare.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return f.create("slow", "{\"Image\":\"busybox\"}");
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        assertThat(inPrepare.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            // the slow create sits in its snapshot: others go on, and its name is already spoken for
            String fast = f.create("fast", "{\"Image\":\"busybox\"}");
            assertThat(f.service.get("fast").id()).isEqualTo(fast);
            assertThatThrownBy(() -> f.create("slow", "{\"Image\":\"busybox\"}"))
                    .isInstanceOf(ConflictException.class)
                    .hasMessageStartingWith("Conflict. The container name \"/slow\" is already in use by container");
            assertThatThrownBy(() -> f.service.rename("fast", "slow")).isInstanceOf(ConflictException.class)
                    .hasMessageStartingWith("Error when allocating new name: Conflict. The container name \"/slow\"");
            assertThat(slow).isNotDone();
        } finally {
            release.countDown();
        }
        String id = slow.get(10, TimeUnit.SECONDS);
        assertThat(f.service.get("slow").id()).isEqualTo(id);
        assertThat(f.store.nameTaken("/slow")).isTrue();
        assertThat(f.snapshotter.prepared).hasSize(2);
    }

    @Test
    void create_thatFailsInItsSnapshot_freesItsName_andLeavesNothingBehind() throws Exception {
        f.snapshotter.beforePrepareContainer = key -> {
            throw new dev.skiff.errors.InternalException("disk full (test)");
        };
        assertThatThrownBy(() -> f.create("doomed", "{\"Image\":\"busybox\"}"))
                .isInstanceOf(dev.skiff.errors.InternalException.class).hasMessage("disk full (test)");
        assertThat(f.store.nameTaken("/doomed")).isFalse();
        assertThat(f.store.all()).isEmpty();
        assertThat(f.snapshotter.prepared).isEmpty();
        Path containers = f.root.resolve("containers");
        if (Files.isDirectory(containers)) {
            try (var dirs = Files.list(containers)) {
                assertThat(dirs).isEmpty(); // the container's directory went too
            }
        }
        f.snapshotter.beforePrepareContainer = key -> { };
        String id = f.create("doomed", "{\"Image\":\"busybox\"}");
        assertThat(f.service.get("doomed").id()).isEqualTo(id);
    }

    @Test
    void createsOfOneName_sideBySide_makeOneContainer() throws Exception {
        java.util.List<CompletableFuture<String>> all = new java.util.ArrayList<>();
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(8);
        for (int i = 0; i < 8; i++) {
            all.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await(10, TimeUnit.SECONDS);
                    return f.create("one", "{\"Image\":\"busybox\"}");
                } catch (ConflictException e) {
                    return "conflict";
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        java.util.List<String> results = new java.util.ArrayList<>();
        for (CompletableFuture<String> c : all) {
            results.add(c.get(20, TimeUnit.SECONDS));
        }
        assertThat(results).filteredOn(r -> !r.equals("conflict")).hasSize(1);
        assertThat(f.store.all()).hasSize(1);
        assertThat(f.snapshotter.prepared).hasSize(1);
    }

    @Test
    void names_conflictAndGenerated() throws Exception {
        String id = f.create("xx", "{\"Image\":\"busybox\"}");
        assertThatThrownBy(() -> f.create("/xx", "{\"Image\":\"busybox\"}"))
                .isInstanceOf(ConflictException.class)
                .hasMessage("Conflict. The container name \"/xx\" is already in use by container \"" + id
                        + "\". You have to remove (or rename) that container to be able to reuse that name.");
        String gen = f.create(null, "{\"Image\":\"busybox\"}");
        assertThat(f.service.get(gen).name()).matches("/[a-z]+_[a-z]+\\d?");
        assertThat(f.service.get(id.substring(0, 5)).id()).isEqualTo(id);
    }

    @Test
    void startExitAndWait() throws Exception {
        String id = f.create("ww", "{\"Image\":\"busybox\"}");
        CompletableFuture<WaitResult> next = f.service.waitFor("ww", Waiters.Condition.NEXT_EXIT);
        f.service.start("ww");
        assertThat(f.service.get(id).state().running()).isTrue();
        assertThat(Files.readString(tmp.resolve("containers").resolve(id).resolve("resolv.conf")))
                .doesNotContain("127.0.0.53").contains("nameserver 10.0.0.2");
        assertThatThrownBy(() -> f.service.start("ww")).isInstanceOf(NotModifiedException.class);
        f.runtime.exit(id, 3);
        assertThat(next.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(3);
        Container c = f.service.get(id);
        assertThat(c.state().status()).isEqualTo("exited");
        assertThat(c.state().exitCode()).isEqualTo(3);
        assertThat(c.state().finishedAt()).isNotEqualTo(Times.ZERO);
        assertThat(f.service.waitFor(id, Waiters.Condition.NOT_RUNNING).get().statusCode()).isEqualTo(3);
        assertThat(f.events.recent()).extracting(Event::action).containsSubsequence("create", "start", "die");
    }

    @Test
    void stop_escalatesToSigkill() throws Exception {
        String id = f.create("ss", "{\"Image\":\"busybox\",\"StopSignal\":\"SIGUSR1\"}");
        f.service.start(id);
        f.runtime.ignoreTerm.add(id);
        f.service.stop(id, 1, null);
        assertThat(f.runtime.calls).contains("kill " + id + " 10", "kill " + id + " 9");
        assertThat(f.service.get(id).state().exitCode()).isEqualTo(137);
        assertThatThrownBy(() -> f.service.stop(id, 1, null)).isInstanceOf(NotModifiedException.class);
        assertThatThrownBy(() -> f.service.kill("ss", "KILL")).isInstanceOf(ConflictException.class)
                .hasMessage("Cannot kill container: ss: Container " + id + " is not running");
        // dockerd's kill route: a bad signal first, and the container's errors wrapped in its words
        assertThatThrownBy(() -> f.service.kill("ss", "NOSIG")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("Invalid signal: NOSIG");
        assertThatThrownBy(() -> f.service.kill("gone", "KILL")).isInstanceOf(NotFoundException.class)
                .hasMessage("Cannot kill container: gone: No such container: gone");
    }

    @Test
    void remove_runningNeedsForce() throws Exception {
        String id = f.create("rr", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        assertThatThrownBy(() -> f.service.remove("rr", false)).isInstanceOf(ConflictException.class)
                .hasMessage("cannot remove container \"/rr\": container is running: stop the container before removing or force remove");
        CompletableFuture<WaitResult> removed = f.service.waitFor(id, Waiters.Condition.REMOVED);
        f.service.remove("rr", true);
        assertThat(removed.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(137);
        assertThat(f.store.find(id)).isEmpty();
        assertThat(tmp.resolve("containers").resolve(id)).doesNotExist();
        assertThat(f.snapshotter.prepared).doesNotContainKey(id);
        assertThat(new ContainerStore(tmp.resolve("skiff.db")).all()).isEmpty();
    }

    @Test
    void restartPolicy_alwaysRestartsUntilStopped() throws Exception {
        String id = f.create("aa", "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"always\"}}}");
        f.service.start(id);
        f.runtime.exit(id, 0);
        waitUntil(() -> f.service.get(id).restartCount() == 1 && f.service.get(id).state().status().equals("running"));
        f.service.stop(id, 1, null);
        Thread.sleep(300);
        assertThat(f.service.get(id).state().status()).isEqualTo("exited");
        assertThat(f.service.get(id).restartCount()).isEqualTo(1);
    }

    @Test
    void restartPolicy_onFailureStopsAtMax() throws Exception {
        String id = f.create("oo", "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":1}}}");
        f.service.start(id);
        f.runtime.exit(id, 1);
        waitUntil(() -> f.service.get(id).restartCount() == 1 && f.service.get(id).state().running()
                && !f.service.get(id).state().restarting());
        f.runtime.exit(id, 1);
        waitUntil(() -> f.service.get(id).state().status().equals("exited"));
        assertThat(f.service.get(id).restartCount()).isEqualTo(1);
    }

    @Test
    void autoRemove_removesAfterExit() throws Exception {
        String id = f.create("rm", "{\"Image\":\"busybox\",\"HostConfig\":{\"AutoRemove\":true}}");
        CompletableFuture<WaitResult> removed = f.service.waitFor(id, Waiters.Condition.REMOVED);
        f.service.start(id);
        f.runtime.exit(id, 4);
        assertThat(removed.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(4);
        assertThat(f.store.find(id)).isEmpty();
        assertThat(f.events.recent()).extracting(Event::action).containsSubsequence("die", "destroy");
    }

    @Test
    void create_ipcOrPidOfAContainerThatDoesNotExist_isRefused() throws Exception {
        for (String key : java.util.List.of("IpcMode", "PidMode")) {
            assertThatThrownBy(() -> f.create("ns" + key, "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\""
                    + key + "\":\"container:nosuch\"}}"))
                    .isInstanceOf(InvalidArgumentException.class).hasMessage("No such container: nosuch");
        }
        String donor = f.create("donor",
                "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"IpcMode\":\"shareable\"}}");
        f.create("user", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":{\"IpcMode\":\"container:donor\","
                + "\"PidMode\":\"container:" + donor.substring(0, 12) + "\"}}");
    }

    @Test
    void start_commandNotFoundIs127() throws Exception {
        String id = f.create("nf", "{\"Image\":\"busybox\",\"Cmd\":[\"nope\"]}");
        f.runtime.failCreateWith = "runc create failed: unable to start container process: exec: \"nope\": executable file not found in $PATH";
        assertThatThrownBy(() -> f.service.start(id)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageStartingWith("failed to create task for container: failed to create shim task: ")
                .hasMessageEndingWith("executable file not found in $PATH: unknown");
        Container c = f.service.get(id);
        assertThat(c.state().exitCode()).isEqualTo(127);
        assertThat(c.state().status()).isEqualTo("created");
        assertThat(c.state().error()).contains("executable file not found");
        assertThat(f.snapshotter.isMounted(id)).isFalse();
    }

    @Test
    void start_failureRemovesAutoRemoveContainer() throws Exception {
        String id = f.create("rmf", "{\"Image\":\"busybox\",\"Cmd\":[\"nope\"],\"HostConfig\":{\"AutoRemove\":true}}");
        CompletableFuture<WaitResult> removed = f.service.waitFor(id, Waiters.Condition.REMOVED);
        f.runtime.failCreateWith = "exec: \"nope\": executable file not found in $PATH";
        assertThatThrownBy(() -> f.service.start(id)).isInstanceOf(InvalidArgumentException.class);
        assertThat(removed.get(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(f.store.find(id)).isEmpty();
    }

    @Test
    void overlappingCommits_shareOneFreeze_andAPauseOrUnpauseMeanwhileDecidesWhatIsLeft() throws Exception {
        String id = f.create("fr", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        ContainerService.Freeze a = f.service.freezeForCommit(id);
        ContainerService.Freeze b = f.service.freezeForCommit(id); // the second's own pause used to fail in runc
        assertThat(f.runtime.status.get(id)).isEqualTo("paused");
        a.close();
        assertThat(f.runtime.status.get(id)).as("the other commit still reads").isEqualTo("paused");
        f.service.pause(id); // the user's pause while a commit holds it frozen
        assertThat(f.service.get(id).state().status()).isEqualTo("paused");
        b.close();
        assertThat(f.runtime.status.get(id)).as("left paused, as asked").isEqualTo("paused");
        ContainerService.Freeze c = f.service.freezeForCommit(id); // a paused container is left as it is
        c.close();
        assertThat(f.runtime.status.get(id)).isEqualTo("paused");
        f.service.unpause(id);
        assertThat(f.runtime.status.get(id)).isEqualTo("running");
        ContainerService.Freeze d = f.service.freezeForCommit(id);
        f.service.pause(id);
        f.service.unpause(id); // meanwhile: thawed only when the commit ends
        assertThat(f.runtime.status.get(id)).isEqualTo("paused");
        d.close();
        assertThat(f.runtime.status.get(id)).isEqualTo("running");
        assertThat(f.runtime.calls.stream().filter(x -> x.startsWith("pause ") || x.startsWith("resume ")).toList())
                .containsExactly("pause " + id, "resume " + id, "pause " + id, "resume " + id);
    }

    @Test
    void whileACommitHoldsItFrozen_itShowsPaused_andExecAndUnpauseSaySo() throws Exception {
        String id = f.create("cf", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        ExecService execs = new ExecService(f.service);
        var exec = dev.skiff.sys.Json.MAPPER.readValue("{\"Cmd\":[\"true\"]}", com.fasterxml.jackson.databind.node.ObjectNode.class);
        try (ContainerService.Freeze ignored = f.service.freezeForCommit(id)) {
            assertThat(f.service.get("cf").state().status()).isEqualTo("paused");
            assertThat(f.service.all()).filteredOn(c -> c.id().equals(id)).extracting(c -> c.state().paused())
                    .containsExactly(true);
            assertThat(f.store.get(id).orElseThrow().state().paused()).as("not stored: it ends with the commit").isFalse();
            assertThatThrownBy(() -> execs.create("cf", exec)).isInstanceOf(ConflictException.class)
                    .hasMessage("Container cf is paused, unpause the container before exec"); // not runc's own refusal
            assertThatThrownBy(() -> f.service.unpause(id)).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("is paused by docker commit").hasMessageContaining("resumes when the commit ends");
        }
        assertThat(f.service.get("cf").state().status()).isEqualTo("running");
        assertThat(f.events.recent()).extracting(Event::action).containsSubsequence("start", "pause", "unpause");
        execs.create("cf", exec);
    }

    @Test
    void pauseAndUnpause_ofAContainerWhoseExitIsNotRecordedYet_sayWhatDockerdSays() throws Exception {
        String id = f.create("gone", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        f.runtime.status.put(id, "stopped"); // PID 1 ended; conmon's exit file is on its way
        assertThatThrownBy(() -> f.service.pause(id)).isInstanceOf(ConflictException.class)
                .hasMessage("Container " + id + " is not running");
        f.service.freezeForCommit(id).close(); // a commit goes on: there is nothing left to freeze
        f.runtime.status.put(id, "running");
        f.service.pause(id);
        f.runtime.status.put(id, "stopped"); // a kill thawed it and it ended
        assertThatThrownBy(() -> f.service.unpause(id)).isInstanceOf(ConflictException.class)
                .hasMessage("Container " + id + " is not paused");
    }

    @Test
    void aContainerWhoseConmonIsKilled_endsWith255_insteadOfShowingRunningForGood() throws Exception {
        String id = f.create("orphan", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        f.runtime.aliveMonitors.remove(id); // conmon killed (the OOM killer, a person): no exit file will ever come
        // a stop used to wait out its SIGKILL and fail ("did not exit 30 seconds after SIGKILL"); the exit monitor's
        // sweep now ends it
        waitUntil(() -> f.service.get(id).state().status().equals("exited"));
        assertThat(f.service.get(id).state().exitCode()).isEqualTo(255);
        assertThat(f.service.get(id).state().error()).contains("conmon was killed");
        assertThat(f.runtime.calls).contains("kill " + id + " 9");
        // the record comes first, then the runtime's clean-up, then "die": wait for the event, not only the state
        waitUntil(() -> f.events.recent().stream().anyMatch(e -> e.action().equals("die")));
        assertThat(f.events.recent()).extracting(Event::action).contains("die");
    }

    @Test
    void stop_thawsAContainerFrozenBehindTheRecords() throws Exception {
        // a daemon that died between runc pause and its record (or during a commit): the runtime says frozen, the
        // records running; a frozen process never acts on a signal, so the stop hung until its client gave up
        String id = f.create("fb", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        f.runtime.pause(id);
        f.service.stop(id, 1, null);
        assertThat(f.service.get(id).state().status()).isEqualTo("exited");
        assertThat(f.runtime.calls).contains("resume " + id);
    }

    @Test
    void pauseUnpauseAndRename() throws Exception {
        String id = f.create("pp", "{\"Image\":\"busybox\"}");
        assertThatThrownBy(() -> f.service.pause(id)).isInstanceOf(ConflictException.class);
        f.service.start(id);
        f.service.pause(id);
        assertThat(f.service.get(id).state().status()).isEqualTo("paused");
        assertThatThrownBy(() -> f.service.pause(id)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> f.service.remove(id, false, false)).isInstanceOf(ConflictException.class)
                .hasMessage("You cannot remove a paused container " + id
                        + ". Unpause and then stop the container before attempting removal or force remove");
        f.service.unpause(id);
        assertThatThrownBy(() -> f.service.unpause(id)).isInstanceOf(ConflictException.class)
                .hasMessage("Container " + id + " is not paused");
        f.service.rename("pp", "qq");
        assertThat(f.service.get("/qq").id()).isEqualTo(id);
        assertThat(f.events.recent().getLast().actor().attributes()).containsEntry("oldName", "/pp").containsEntry("name", "qq");
        String other = f.create("rr", "{\"Image\":\"busybox\"}");
        assertThatThrownBy(() -> f.service.rename(other, "qq")).isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("Error when allocating new name: Conflict. The container name \"/qq\" is already in use");
        // dockerd's order: the container is looked up first, then the new name is checked
        assertThatThrownBy(() -> f.service.rename("nosuch", "x")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such container: nosuch");
        assertThatThrownBy(() -> f.service.rename(other, "bad name")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("Error when allocating new name: Invalid container name (/bad name), only "
                        + "[a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }

    @Test
    void reconcile_recordsExitAdoptsAndLoses() throws Exception {
        String exited = started("ee");
        String alive = started("ll");
        String lost = started("gg");
        f.close();
        // while the daemon was down: one exited, one lost its monitor
        f.runtime.exit(exited, 7);
        f.runtime.aliveMonitors.remove(lost);
        try (Restarted again = restart()) {
            assertThat(again.service.get(exited).state().exitCode()).isEqualTo(7);
            assertThat(again.service.get(exited).state().status()).isEqualTo("exited");
            assertThat(again.service.get(alive).state().status()).isEqualTo("running");
            assertThat(again.service.get(lost).state().exitCode()).isEqualTo(255);
        }
    }

    @Test
    void reconcile_endsWhatTheRuntimeKeptOfAStartTheDaemonDiedIn() throws Exception {
        String id = f.create("half", "{\"Image\":\"busybox\"}");
        f.close();
        // the daemon died between the runtime's create and the running record: runc's container and its
        // conmon are there, the record says created
        f.runtime.status.put(id, "created");
        f.runtime.aliveMonitors.add(id);
        try (Restarted again = restart()) {
            assertThat(f.runtime.status).as("removed from the runtime: its namespace no longer holds its address")
                    .doesNotContainKey(id);
            assertThat(f.runtime.calls).contains("delete " + id);
            assertThat(again.service.get(id).state().status()).isEqualTo("created");
        }
    }

    @Test
    void reconcile_thawsWhatACrashLeftFrozen_andRecordsAnUnpauseItCutShort() throws Exception {
        String committed = started("cm");
        String unpaused = started("up");
        String paused = started("pa");
        f.service.freezeForCommit(committed); // the daemon dies with the commit under way: never closed
        f.service.pause(unpaused);
        f.service.pause(paused);
        f.close();
        f.runtime.resume(unpaused); // runc resume ran, the record of it did not
        try (Restarted again = restart()) {
            assertThat(f.runtime.status.get(committed)).as("thawed: its commit is gone").isEqualTo("running");
            assertThat(again.service.get(committed).state().status()).isEqualTo("running");
            assertThat(again.service.get(unpaused).state().status()).isEqualTo("running");
            assertThat(f.runtime.status.get(paused)).as("the user's pause stays").isEqualTo("paused");
            assertThat(again.service.get(paused).state().status()).isEqualTo("paused");
        }
    }

    @Test
    void anExitWhoseRecordFails_keepsConmonsExitFile_andIsRecordedWithItsCodeLater() throws Exception {
        String id = f.create("ex", "{\"Image\":\"busybox\"}");
        f.service.start(id);
        int before = f.runtime.calls.size();
        f.store.close(); // every write fails from here on, as on a full disk
        f.runtime.exit(id, 7);
        Thread.sleep(500); // the monitor sees the exit file at once; its record fails
        assertThat(f.runtime.calls.subList(before, f.runtime.calls.size())).as("the runtime's delete takes the exit file")
                .doesNotContain("delete " + id);
        assertThat(f.runtime.exitDir.resolve(id)).exists();
        f.close();
        try (Restarted again = restart()) {
            assertThat(again.service.get(id).state().status()).isEqualTo("exited");
            assertThat(again.service.get(id).state().exitCode()).as("its own code, not the lost container's 255").isEqualTo(7);
        }
    }

    /** A busybox container named {@code name}, started: its ID. */
    private String started(String name) throws Exception {
        String id = f.create(name, "{\"Image\":\"busybox\"}");
        f.service.start(id);
        return id;
    }

    /** The daemon started again over the fixture's database and runtime, after {@code f.close()}: reconciled. */
    private Restarted restart() throws Exception {
        ContainerStore store = new ContainerStore(tmp.resolve("skiff.db"));
        ContainerService service = new ContainerService(new EngineOptions(tmp, 0, 3, tmp.resolve("host-resolv.conf")),
                store, f.images, f.runtime, f.snapshotter, new EventBus());
        service.reconcile();
        return new Restarted(service, store);
    }

    /** Closing it gives the tests after a fresh fixture in a directory of its own. */
    private final class Restarted implements AutoCloseable {
        final ContainerService service;
        private final ContainerStore store;

        Restarted(ContainerService service, ContainerStore store) {
            this.service = service;
            this.store = store;
        }

        @Override
        public void close() throws Exception {
            service.close();
            store.close();
            EngineFixture.releaseShmMounts(tmp);
            Files.createDirectories(tmp.resolve("other"));
            f = new EngineFixture(tmp.resolve("other"));
        }
    }

    static void waitUntil(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not reached in 10s");
            }
            Thread.sleep(20);
        }
    }
}
