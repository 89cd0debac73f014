/**
 * Browser tests of the web console (served from {@code META-INF/resources}): real headless Chromium
 * through the system chromedriver, against the service with its simulator.
 *
 * <p>Invariants: nothing is downloaded at run time (driver and browser paths are given); a missing
 * program fails the test with its Debian package; each browser gets a fresh profile, removed after.
 *
 * <p>Threading: a browser is driven from the test's thread only.
 */
package io.meshwatch.console;
