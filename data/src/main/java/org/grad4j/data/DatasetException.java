package org.grad4j.data;

/**
 * A dataset could not be read or fetched: a malformed or truncated file, a CSV cell that is not a number, a
 * download that failed or did not match its checksum. The message names the file (with line and column where
 * there are lines), what was expected, what was found and, where one exists, what to do.
 */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
