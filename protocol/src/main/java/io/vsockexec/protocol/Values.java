package io.vsockexec.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Normalization shared by the payload records, so a record holds exactly what goes on the wire:
 * absent values become empty, collections become immutable copies, strings become well-formed.
 */
final class Values {
    /** The one empty array of the package: having no element to change, it can be shared by everyone. */
    static final byte[] EMPTY_BYTES = new byte[0];

    /**
     * Go sorts map keys by their UTF-8 bytes, which is Unicode code point order. Java's
     * {@link String#compareTo} compares UTF-16 units and puts U+10000 and above before U+E000 to
     * U+FFFF, so it cannot be used.
     */
    static final Comparator<String> CODE_POINT_ORDER = new CodePointOrder();

    static final int LARGEST_U16 = 0xFFFF;

    private Values() {
    }

    /** {@code value} made well-formed; null is rejected, naming {@code what}. */
    static String required(String value, String what) {
        return wellFormed(Objects.requireNonNull(value, what));
    }

    /** {@code value} made well-formed; null becomes empty. */
    static String optional(String value) {
        return value == null ? "" : wellFormed(value);
    }

    /** An immutable, well-formed copy; null becomes empty, a null element is rejected. */
    static List<String> strings(List<String> values, String what) {
        if (values == null) {
            return List.of();
        }
        List<String> copy = new ArrayList<>(values.size());
        for (String value : values) {
            if (value == null) {
                throw new NullPointerException(what + "[" + copy.size() + "] is null");
            }
            copy.add(wellFormed(value));
        }
        return List.copyOf(copy);
    }

    /** An immutable copy sorted as Go sorts keys; null becomes empty, a null key or value is rejected. */
    static Map<String, String> sortedMap(Map<String, String> map, String what) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        TreeMap<String, String> copy = new TreeMap<>(CODE_POINT_ORDER);
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new NullPointerException(what + " holds a null key or value: key " + e.getKey());
            }
            copy.put(wellFormed(e.getKey()), wellFormed(e.getValue()));
        }
        return Collections.unmodifiableSortedMap(copy);
    }

    /** A private copy; null becomes empty. */
    static byte[] bytes(byte[] value) {
        return value == null || value.length == 0 ? EMPTY_BYTES : value.clone();
    }

    /** {@code value}, or {@link Bytes#EMPTY} for null. */
    static Bytes bytes(Bytes value) {
        return value == null ? Bytes.EMPTY : value;
    }

    /** {@code value} if it fits Go's {@code uint16}. */
    static int u16(int value, String what) {
        if (value < 0 || value > LARGEST_U16) {
            throw new IllegalArgumentException(what + " must be between 0 and 65535, got " + value);
        }
        return value;
    }

    /** How a byte array appears in a record's toString: its length, never its content. */
    static String describe(byte[] value) {
        return value.length + " bytes";
    }

    /**
     * Replaces each unpaired surrogate with U+FFFD. Such a string has no UTF-8 form; Go, whose
     * strings are bytes, puts U+FFFD in place of invalid UTF-8 when it encodes JSON, so a record
     * does the same when it is built and every string it holds can be written as it is.
     */
    static String wellFormed(String s) {
        int bad = firstUnpairedSurrogate(s, 0);
        if (bad < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int from = 0;
        while (bad >= 0) {
            b.append(s, from, bad).append('\uFFFD');
            from = bad + 1;
            bad = firstUnpairedSurrogate(s, from);
        }
        return b.append(s, from, s.length()).toString();
    }

    private static int firstUnpairedSurrogate(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** A class, not a method reference: a lambda's first use costs milliseconds of bootstrap at start-up. */
    private static final class CodePointOrder implements Comparator<String> {
        @Override
        public int compare(String a, String b) {
            int i = 0;
            int j = 0;
            while (i < a.length() && j < b.length()) {
                int ca = a.codePointAt(i);
                int cb = b.codePointAt(j);
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i += Character.charCount(ca);
                j += Character.charCount(cb);
            }
            return Integer.compare(a.length() - i, b.length() - j);
        }
    }
}
