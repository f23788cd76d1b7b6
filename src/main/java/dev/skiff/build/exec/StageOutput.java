package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a build's output readable when independent stages run at the same time: the earliest unfinished stage
 * (in plan order) writes through live; later stages buffer until every stage before them has finished, then
 * flush at once. The legacy builder's text stays one stage after another, as if they had run in sequence.
 */
public final class StageOutput {
    private final BuildOutput out;
    private final List<Channel> channels = new ArrayList<>();
    private int current;

    public StageOutput(BuildOutput out, int stages) {
        this.out = out;
        for (int i = 0; i < stages; i++) {
            channels.add(new Channel(i));
        }
    }

    /** The channel of the stage at {@code position} in the plan. */
    public BuildOutput channel(int position) {
        return channels.get(position);
    }

    /** Marks a stage done: its buffered text and that of the finished stages after it go out. */
    public synchronized void finished(int position) {
        channels.get(position).done = true;
        while (current < channels.size() && channels.get(current).done) {
            current++;
            if (current < channels.size()) {
                channels.get(current).flush();
            }
        }
    }

    /** Whole-build text (the final "Successfully built"), after every stage. */
    public synchronized void stream(String text) {
        out.stream(text);
    }

    private final class Channel implements BuildOutput {
        private final int position;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private boolean done;

        Channel(int position) {
            this.position = position;
        }

        @Override
        public void stream(String text) {
            output(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void output(byte[] bytes) {
            synchronized (StageOutput.this) {
                if (position == current) {
                    out.output(bytes);
                } else {
                    buffer.writeBytes(bytes);
                }
            }
        }

        /** Only the stage writing through shows byte counters; a buffered one's would be stale by its flush. */
        @Override
        public void progress(String id, String status, long count, long total) {
            synchronized (StageOutput.this) {
                if (position == current) {
                    out.progress(id, status, count, total);
                }
            }
        }

        void flush() {
            if (buffer.size() > 0) {
                out.output(buffer.toByteArray());
                buffer.reset();
            }
        }

        @Override
        public void imageId(String id) {
            throw new UnsupportedOperationException("a stage does not report the build's image ID");
        }
    }
}
