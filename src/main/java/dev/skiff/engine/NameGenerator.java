package dev.skiff.engine;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/** Container IDs (64 hex, never all digits, as Docker avoids them) and Docker-like "adjective_surname" names. */
public final class NameGenerator {
    private static final List<String> LEFT = List.of(
            "admiring", "adoring", "affectionate", "agitated", "amazing", "angry", "awesome", "beautiful",
            "blissful", "bold", "boring", "brave", "busy", "charming", "clever", "compassionate", "competent",
            "condescending", "confident", "cool", "cranky", "crazy", "dazzling", "determined", "distracted",
            "dreamy", "eager", "ecstatic", "elastic", "elated", "elegant", "eloquent", "epic", "exciting",
            "fervent", "festive", "flamboyant", "focused", "friendly", "frosty", "funny", "gallant", "gifted",
            "goofy", "gracious", "great", "happy", "hardcore", "heuristic", "hopeful", "hungry", "infallible",
            "inspiring", "intelligent", "interesting", "jolly", "jovial", "keen", "kind", "laughing", "loving",
            "lucid", "magical", "modest", "musing", "mystifying", "naughty", "nervous", "nice", "nifty",
            "nostalgic", "objective", "optimistic", "peaceful", "pedantic", "pensive", "practical", "priceless",
            "quirky", "quizzical", "recursing", "relaxed", "reverent", "romantic", "sad", "serene", "sharp",
            "silly", "sleepy", "stoic", "strange", "stupefied", "suspicious", "sweet", "tender", "thirsty",
            "trusting", "unruffled", "upbeat", "vibrant", "vigilant", "vigorous", "wizardly", "wonderful",
            "xenodochial", "youthful", "zealous", "zen");
    private static final List<String> RIGHT = List.of(
            "agnesi", "albattani", "allen", "almeida", "archimedes", "ardinghelli", "aryabhata", "austin",
            "babbage", "banach", "bardeen", "bartik", "bassi", "bell", "bhabha", "blackburn", "blackwell", "bohr",
            "booth", "borg", "bose", "boyd", "brahmagupta", "brattain", "brown", "carson", "cerf", "chandrasekhar",
            "chatelet", "chaum", "clarke", "colden", "cori", "cray", "curie", "darwin", "davinci", "dijkstra",
            "dubinsky", "easley", "edison", "einstein", "elion", "engelbart", "euclid", "euler", "fermat", "fermi",
            "feynman", "franklin", "gagarin", "galileo", "gates", "gauss", "germain", "goldberg", "goldstine",
            "goodall", "hamilton", "haslett", "hawking", "heisenberg", "hermann", "hodgkin", "hoover", "hopper",
            "hugle", "hypatia", "jackson", "jang", "jennings", "jepsen", "johnson", "joliot", "jones", "kalam",
            "keldysh", "keller", "kepler", "khorana", "kilby", "knuth", "lalande", "lamarr", "lamport", "leakey",
            "leavitt", "lovelace", "lumiere", "mahavira", "margulis", "matsumoto", "mayer", "mccarthy",
            "mcclintock", "meitner", "mendel", "merkle", "minsky", "mirzakhani", "moore", "morse", "napier",
            "nash", "neumann", "newton", "nobel", "noether", "northcutt", "noyce", "panini", "pare", "pascal",
            "pasteur", "payne", "perlman", "pike", "poincare", "ptolemy", "raman", "ramanujan", "ride", "ritchie",
            "robinson", "roentgen", "rosalind", "saha", "sammet", "shamir", "shannon", "shaw", "shockley",
            "sinoussi", "snyder", "spence", "stonebraker", "sutherland", "swanson", "swartz", "tesla", "thompson",
            "torvalds", "turing", "varahamihira", "villani", "volhard", "wescoff", "wiles", "williams", "wilson",
            "wing", "wozniak", "wright", "wu", "yalow", "yonath", "zhukovsky");

    private final Random random;

    public NameGenerator() {
        this(new SecureRandom());
    }

    public NameGenerator(Random random) {
        this.random = random;
    }

    /** A new 64-hex ID; an all-digit ID would be read as a number by some tools, so Docker redraws those. */
    public String newId() {
        byte[] bytes = new byte[32];
        while (true) {
            random.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            if (!id.substring(0, 12).chars().allMatch(Character::isDigit)) {
                return id;
            }
        }
    }

    /**
     * A free "/adjective_surname" name; after a few collisions a digit is appended, as Docker does.
     *
     * @param taken tells whether a name (with "/") is in use
     */
    public String newName(Predicate<String> taken) {
        for (int attempt = 0; ; attempt++) {
            String left = LEFT.get(random.nextInt(LEFT.size()));
            String right = RIGHT.get(random.nextInt(RIGHT.size()));
            String name = left + "_" + right;
            if (name.equals("boring_wozniak")) {
                continue; // Steve Wozniak is not boring (Docker's own exception)
            }
            if (attempt >= 10) {
                name += random.nextInt(10);
            }
            if (!taken.test("/" + name)) {
                return "/" + name;
            }
        }
    }

    /** Docker's rule for user-given names: [a-zA-Z0-9][a-zA-Z0-9_.-]+ after an optional leading "/". */
    public static String validateName(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (!n.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
            // the name as given, as dockerd quotes it (create takes it bare, rename with its slash)
            throw new dev.skiff.errors.InvalidArgumentException("Invalid container name (" + name
                    + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return "/" + n;
    }
}
