package io.meshwatch.inventory;

/**
 * The start-up rule between the configured inventory file and the inventory stored in PostgreSQL.
 * Pure: it sees only hashes and versions, never the database or the file system.
 *
 * <ol>
 *   <li>A file is configured and its SHA-256 differs from the file content seeded last (or no file
 *       was ever seeded): the file replaces the stored inventory ({@link Choice#SEED_FILE}). So a
 *       changed ConfigMap wins over earlier API edits.</li>
 *   <li>Otherwise, when an inventory is stored, it is used ({@link Choice#USE_STORED}): API edits
 *       survive restarts while the file is unchanged, and removing the file setting keeps the last
 *       inventory.</li>
 *   <li>Nothing stored and no file: the empty inventory ({@link Choice#EMPTY}).</li>
 * </ol>
 * A stored inventory this release cannot read any more is replaced by the file when one is
 * configured (even an unchanged one), and stops start-up when none is ({@link Choice#FAIL}).
 */
public final class InventoryPrecedence {

    /** What start-up does. */
    public enum Choice {
        /** Store the file as a new revision and use it. */
        SEED_FILE,
        /** Use the newest stored revision. */
        USE_STORED,
        /** Use the empty inventory; store nothing. */
        EMPTY,
        /** Refuse to start. */
        FAIL
    }

    /**
     * What is known at start-up.
     *
     * @param fileSha256       hash of the configured file's content, or null when no file is configured
     * @param storedVersion    the newest stored revision, or 0 when nothing is stored
     * @param storedSource     where that revision came from (null when nothing is stored)
     * @param storedReadable   whether that revision reads as a valid inventory in this release
     * @param lastSeededSha256 hash of the newest revision seeded from a file, or null when none was
     * @param lastSeededVersion that revision's version, or 0
     */
    public record Situation(String fileSha256, long storedVersion, InventorySource storedSource,
                            boolean storedReadable, String lastSeededSha256, long lastSeededVersion) {
    }

    /** The choice and why, in words for the start-up log. */
    public record Decision(Choice choice, String reason) {
    }

    private InventoryPrecedence() {
    }

    public static Decision decide(Situation s) {
        boolean file = s.fileSha256() != null;
        boolean stored = s.storedVersion() > 0;
        if (file && s.lastSeededSha256() == null) {
            return new Decision(Choice.SEED_FILE, stored
                    ? "no file was seeded before; the file replaces stored version " + s.storedVersion()
                    : "nothing is stored yet");
        }
        if (file && !s.fileSha256().equals(s.lastSeededSha256())) {
            return new Decision(Choice.SEED_FILE, "the file changed since it was seeded as version "
                    + s.lastSeededVersion() + "; it replaces stored version " + s.storedVersion());
        }
        if (stored && s.storedReadable()) {
            String what = "stored version " + s.storedVersion() + " (" + s.storedSource().wire() + ")";
            return new Decision(Choice.USE_STORED, file
                    ? "the file is unchanged since it was seeded as version " + s.lastSeededVersion() + "; using " + what
                    : "no file configured; using " + what);
        }
        if (stored && file) {
            return new Decision(Choice.SEED_FILE, "stored version " + s.storedVersion()
                    + " no longer reads as a valid inventory; seeding the unchanged file again");
        }
        if (stored) {
            return new Decision(Choice.FAIL, "stored version " + s.storedVersion()
                    + " no longer reads as a valid inventory and no file is configured");
        }
        return new Decision(Choice.EMPTY, "no file configured and nothing stored; starting with an empty inventory");
    }
}
