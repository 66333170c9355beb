package org.grad4j.losses;

/** Keras' naming convention: a class {@code MeanSquaredError} is called {@code mean_squared_error}. */
final class Names {
    private Names() {
    }

    static String snakeCase(String className) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < className.length(); i++) {
            char c = className.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean previousLower = i > 0 && !Character.isUpperCase(className.charAt(i - 1));
                boolean nextLower = i + 1 < className.length() && Character.isLowerCase(className.charAt(i + 1));
                // a new word starts after a lower-case letter, or at the last capital of an acronym (AUCCurve)
                if (i > 0 && (previousLower || nextLower)) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
