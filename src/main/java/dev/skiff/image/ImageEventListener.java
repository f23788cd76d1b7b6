package dev.skiff.image;

/** Receives image events; the engine forwards them to the events stream. */
@FunctionalInterface
public interface ImageEventListener {
    /** @param action Docker's action name ("tag", "untag", "delete", "import", "load", "save", "pull", "push") */
    void onImageEvent(String action, String imageIdOrRef, java.util.Map<String, String> attributes);
}
