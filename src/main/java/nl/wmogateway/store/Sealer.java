package nl.wmogateway.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest for what the gateway stores about a client: message bodies, plans,
 * beschikkingen, findings, and the BSN itself. AES-256-GCM (authenticated: a changed byte makes a
 * value unreadable instead of wrong), a fresh 96-bit nonce per value, and the table, column and row
 * id as associated data, so a sealed value copied into another row or column does not open there.
 *
 * <p>A sealed value names the key it was sealed with, so keys can be rotated: new values are sealed
 * with the current key, older keys stay listed for reading until {@link #needsReseal} values have
 * been sealed again (the housekeeping job does that). Lookups by client use a {@link #pseudonym}: a
 * keyed hash of the BSN with a key of its own that is never rotated away, so a copy of the database
 * without the keys reveals no BSN and cannot be searched for one.
 *
 * <p>Layout: {@code "WGS1"}, one byte key-id length, the key id (ASCII), 12 bytes nonce, ciphertext
 * with the 16-byte tag. Text columns hold {@code "wgs1:"} and the layout in base64. A value without
 * the marker is from before encryption at rest; it is read as it is and sealed by the housekeeping.
 */
public final class Sealer {

    private static final byte[] MAGIC = {'W', 'G', 'S', '1'};
    private static final String TEXT_PREFIX = "wgs1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** The key id under which the pseudonym key is listed. */
    public static final String PSEUDONYM_KEY_ID = "pseudonym";

    private final Map<String, SecretKey> keys;
    private final String currentKeyId;
    private final SecretKey pseudonymKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param keys         data keys by id (32 bytes each); the current one seals, all open
     * @param currentKeyId the id of the key new values are sealed with
     * @param pseudonymKey the key of the keyed hash that pseudonymises a BSN (32 bytes)
     */
    public Sealer(Map<String, byte[]> keys, String currentKeyId, byte[] pseudonymKey) {
        Objects.requireNonNull(currentKeyId, "currentKeyId");
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current storage key '" + currentKeyId + "' is not among the keys");
        }
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            checkId(id);
            copy.put(id, new SecretKeySpec(checkLength(id, bytes), "AES"));
        });
        this.keys = Map.copyOf(copy);
        this.currentKeyId = currentKeyId;
        this.pseudonymKey = new SecretKeySpec(checkLength(PSEUDONYM_KEY_ID, pseudonymKey), "HmacSHA256");
    }

    /**
     * Reads a key list: entries {@code id:base64} separated by commas or new lines, {@code #}
     * comments. The entry {@code pseudonym:...} is the pseudonym key; of the others the first is the
     * current key unless {@code currentKeyId} names one.
     *
     * @throws IllegalArgumentException naming the entry that is wrong (never a key's value)
     */
    public static Sealer parse(String list, Optional<String> currentKeyId) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        byte[] pseudonym = null;
        for (String line : list.split("[,\\r\\n]+")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("a storage key entry is not 'id:base64' (the entry starting '"
                        + entry.substring(0, Math.min(entry.length(), 3)) + "...')");
            }
            String id = entry.substring(0, colon).strip();
            byte[] value;
            try {
                value = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("storage key '" + id + "' is not valid base64", e);
            }
            if (PSEUDONYM_KEY_ID.equals(id)) {
                pseudonym = value;
            } else if (keys.put(id, value) != null) {
                throw new IllegalArgumentException("storage key '" + id + "' is listed twice");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(
                    "no storage key is configured (wmo.storage.keys or wmo.storage.keys-file)");
        }
        if (pseudonym == null) {
            throw new IllegalArgumentException("the storage keys have no 'pseudonym:' entry (the key that pseudonymises"
                    + " a BSN; it must stay the same for as long as data is kept)");
        }
        String current = currentKeyId
                .filter(s -> !s.isBlank())
                .orElse(keys.keySet().iterator().next());
        return new Sealer(keys, current, pseudonym);
    }

    /** The id of the key new values are sealed with. */
    public String currentKeyId() {
        return currentKeyId;
    }

    /** Seals {@code clear} for the place {@code context} names (e.g. {@code inbound_message.body:<id>}). */
    public byte[] seal(byte[] clear, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] id = currentKeyId.getBytes(StandardCharsets.US_ASCII);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context, id));
            byte[] sealed = cipher.doFinal(clear);
            return ByteBuffer.allocate(MAGIC.length + 1 + id.length + NONCE_BYTES + sealed.length)
                    .put(MAGIC)
                    .put((byte) id.length)
                    .put(id)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal a value for " + place(context), e);
        }
    }

    /**
     * Opens a value sealed for {@code context}; a value from before encryption at rest is returned
     * as it is.
     *
     * @throws IllegalStateException when the value was changed, belongs elsewhere, or its key is not configured
     */
    public byte[] open(byte[] stored, String context) {
        if (!isSealed(stored)) {
            return stored;
        }
        ByteBuffer in = ByteBuffer.wrap(stored);
        in.position(MAGIC.length);
        int idLength = Byte.toUnsignedInt(in.get());
        if (in.remaining() < idLength + NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the sealed value for " + place(context) + " is cut short");
        }
        byte[] id = new byte[idLength];
        in.get(id);
        String keyId = new String(id, StandardCharsets.US_ASCII);
        SecretKey key = keys.get(keyId);
        if (key == null) {
            throw new IllegalStateException(
                    "the value for " + place(context) + " was sealed with storage key '" + keyId
                            + "', which is not configured (keep old keys listed until the housekeeping has sealed everything again)");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        in.get(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context, id));
            return cipher.doFinal(stored, in.position(), in.remaining());
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalStateException(
                    "the sealed value for " + place(context) + " was altered or belongs to another row", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot open the value for " + place(context), e);
        }
    }

    /** {@link #seal} for a text column; null stays null. */
    public String sealText(String clear, String context) {
        if (clear == null) {
            return null;
        }
        return TEXT_PREFIX + Base64.getEncoder().encodeToString(seal(clear.getBytes(StandardCharsets.UTF_8), context));
    }

    /** {@link #open} for a text column; null stays null, text from before encryption at rest is returned as it is. */
    public String openText(String stored, String context) {
        if (stored == null || !stored.startsWith(TEXT_PREFIX)) {
            return stored;
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(stored.substring(TEXT_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the sealed value for " + place(context) + " is not valid base64", e);
        }
        if (!isSealed(sealed)) {
            throw new IllegalStateException("the sealed value for " + place(context) + " is damaged");
        }
        return new String(open(sealed, context), StandardCharsets.UTF_8);
    }

    /** Whether a stored value should be sealed (again): it is clear, or sealed with a key that is no longer current. */
    public boolean needsReseal(byte[] stored) {
        return stored != null && (!isSealed(stored) || !currentKeyId.equals(keyIdOf(stored)));
    }

    /** {@link #needsReseal} for a text column. */
    public boolean needsResealText(String stored) {
        if (stored == null) {
            return false;
        }
        if (!stored.startsWith(TEXT_PREFIX)) {
            return true;
        }
        byte[] sealed = Base64.getDecoder().decode(stored.substring(TEXT_PREFIX.length()));
        return !currentKeyId.equals(keyIdOf(sealed));
    }

    /**
     * The client's pseudonym: HMAC-SHA-256 of the BSN under the pseudonym key, in hex. The same BSN
     * always gives the same pseudonym (so requests and audit records can be found by it), and
     * without the key it cannot be turned back or tried for all 10<sup>9</sup> BSNs.
     */
    public String pseudonym(String bsn) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pseudonymKey);
            return HexFormat.of().formatHex(mac.doFinal(("bsn:" + bsn).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute a pseudonym", e);
        }
    }

    /**
     * An authentication code for something the gateway hands out and takes back (a console form's
     * token): HMAC-SHA-256 under the pseudonym key, with the purpose in front so that it never
     * equals a pseudonym. Every instance with the same keys computes the same code.
     */
    public String authenticationCode(String purpose, String value) {
        if (purpose.isEmpty() || "bsn".equals(purpose)) {
            throw new IllegalArgumentException("a purpose of its own is needed, not '" + purpose + "'");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(pseudonymKey);
            return HexFormat.of().formatHex(mac.doFinal((purpose + ":" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute an authentication code", e);
        }
    }

    static boolean isSealed(byte[] stored) {
        return stored != null
                && stored.length > MAGIC.length
                && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static String keyIdOf(byte[] sealed) {
        int length = Byte.toUnsignedInt(sealed[MAGIC.length]);
        return new String(sealed, MAGIC.length + 1, length, StandardCharsets.US_ASCII);
    }

    private static byte[] aad(String context, byte[] keyId) {
        byte[] place = context.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + place.length + keyId.length)
                .putInt(place.length)
                .put(place)
                .putInt(keyId.length)
                .put(keyId)
                .array();
    }

    /** The table and column of a context, without the row id. */
    private static String place(String context) {
        int colon = context.indexOf(':');
        return colon < 0 ? context : context.substring(0, colon);
    }

    private static void checkId(String id) {
        if (id.isEmpty() || id.length() > 64 || !id.chars().allMatch(c -> c > 32 && c < 127 && c != ':' && c != ',')) {
            throw new IllegalArgumentException(
                    "a storage key id must be 1 to 64 printable ASCII characters without ':' or ','");
        }
    }

    private static byte[] checkLength(String id, byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("storage key '" + id + "' must be 32 bytes (256 bits), base64-encoded;"
                    + " make one with: openssl rand -base64 32");
        }
        return key.clone();
    }
}
