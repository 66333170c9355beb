package org.grad4j.models.callbacks;

import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkpoint file name with Python {@code str.format} fields, as Keras' {@code ModelCheckpoint} takes
 * them: {@code "ckpt-{epoch:02d}-{val_loss:.2f}.g4j"}. A field names {@code epoch}, {@code batch} or a log
 * entry, optionally with a format spec of Python's mini-language limited to what maps onto
 * {@link java.util.Formatter}: sign ({@code +} or space), zero padding, width, thousands separator,
 * precision, and the types {@code d f e E g G}. {@code {{} and {@code }}} stand for literal braces.
 * The template is parsed once, so a malformed one fails when the callback is created.
 */
final class FilepathTemplate {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern SPEC = Pattern.compile("([+ ])?(0)?(\\d+)?(,)?(\\.\\d+)?([dfeEgG])?");

    private record Field(String name, String spec) {
    }

    private final String template;
    private final List<Object> parts = new ArrayList<>();

    FilepathTemplate(String template) {
        this.template = template;
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            boolean doubled = i + 1 < template.length() && template.charAt(i + 1) == c;
            if ((c == '{' || c == '}') && doubled) {
                literal.append(c);
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw error("a '{' at position " + i + " is never closed");
                }
                String body = template.substring(i + 1, close);
                int colon = body.indexOf(':');
                String name = colon < 0 ? body : body.substring(0, colon);
                String spec = colon < 0 ? "" : body.substring(colon + 1);
                if (!NAME.matcher(name).matches()) {
                    throw error("{" + body + "} does not name a log entry (expected e.g. {epoch} or {val_loss:.2f})");
                }
                if (!SPEC.matcher(spec).matches()) {
                    throw error("{" + body + "} has the format spec \"" + spec + "\", which is not supported (supported: "
                            + "sign, zero padding, width, ',', precision and the types d, f, e, E, g, G)");
                }
                if (literal.length() > 0) {
                    parts.add(literal.toString());
                    literal.setLength(0);
                }
                parts.add(new Field(name, spec));
                i = close;
            } else if (c == '}') {
                throw error("a single '}' at position " + i + " (write '}}' for a literal brace)");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
    }

    /** Whether the template has a field named {@code name}. */
    boolean names(String name) {
        return parts.stream().anyMatch(p -> p instanceof Field f && f.name.equals(name));
    }

    /** Fills the fields from {@code values} (Integer or Double); a name not among them is an error listing those that are. */
    String format(Map<String, ? extends Number> values) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Field field) {
                Number value = values.get(field.name);
                if (value == null) {
                    throw new IllegalArgumentException("ModelCheckpoint: filepath \"" + template + "\" has the field {"
                            + field.name + "}, which is not in the logs (available: " + String.join(", ", values.keySet()) + ")");
                }
                out.append(format(field, value));
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    private String format(Field field, Number value) {
        boolean integral = value instanceof Integer || value instanceof Long;
        if (field.spec.isEmpty()) {
            return integral ? value.toString() : PythonFloat.repr(value.doubleValue());
        }
        Matcher m = SPEC.matcher(field.spec);
        m.matches();
        String type = m.group(6) != null ? m.group(6) : integral ? "d" : "g";
        if (type.equals("d") && !integral) {
            throw new IllegalArgumentException("ModelCheckpoint: filepath \"" + template + "\" formats {" + field.name + ":"
                    + field.spec + "} as an integer, but its value " + value + " is a float; use e.g. {" + field.name + ":.4f}");
        }
        String width = m.group(3) == null ? "" : m.group(3);
        // Python allows a zero flag without a width; java.util.Formatter does not, and it means nothing there
        String java = "%" + (m.group(1) == null ? "" : m.group(1)) + (m.group(4) == null ? "" : ",")
                + (m.group(2) != null && !width.isEmpty() ? "0" : "") + width + (m.group(5) == null ? "" : m.group(5)) + type;
        try {
            return String.format(Locale.ROOT, java, type.equals("d") ? (Object) value.longValue() : (Object) value.doubleValue());
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException("ModelCheckpoint: filepath \"" + template + "\": cannot format {" + field.name
                    + ":" + field.spec + "} (" + e.getMessage() + ")", e);
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("ModelCheckpoint: filepath \"" + template + "\": " + what);
    }

    @Override
    public String toString() {
        return template;
    }
}
