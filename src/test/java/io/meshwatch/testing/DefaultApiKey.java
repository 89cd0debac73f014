package io.meshwatch.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (META-INF/services; quarkus-junit-config turns JUnit extension auto-detection on): a RestAssured
 * filter gives every request without an {@code Authorization} header the test profile's
 * development admin key ({@value #ADMIN}), so API tests written before API keys keep working with
 * auth on. A test class annotated {@link OwnApiKeys} (the auth and alert API tests) gets no
 * filter and sends its own keys, or none.
 *
 * <p>A {@code @QuarkusTest} runs in Quarkus's class loader, which has its own copy of RestAssured;
 * the filter is a proxy of that copy's {@code Filter} interface, installed by reflection.
 */
public class DefaultApiKey implements BeforeEachCallback {

    public static final String ADMIN = "dev-admin";

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestInstance().getClass();
        ClassLoader cl = testClass.getClassLoader();
        boolean own = Arrays.stream(testClass.getAnnotations())
                .anyMatch(a -> a.annotationType().getName().equals(OwnApiKeys.class.getName()));
        Class<?> restAssured = Class.forName("io.restassured.RestAssured", true, cl);
        Class<?> filterType = Class.forName("io.restassured.filter.Filter", true, cl);
        List<Object> filters = new ArrayList<>((List<?>) restAssured.getMethod("filters").invoke(null));
        filters.removeIf(f -> Proxy.isProxyClass(f.getClass()) && Proxy.getInvocationHandler(f) instanceof AddKey);
        if (!own) {
            filters.add(Proxy.newProxyInstance(cl, new Class<?>[] {filterType}, new AddKey(cl)));
        }
        restAssured.getMethod("replaceFiltersWith", List.class).invoke(null, filters);
    }

    /** The filter: adds the admin key when the request has no Authorization header. */
    private static final class AddKey implements java.lang.reflect.InvocationHandler {
        private final Method headers;
        private final Method has;
        private final Method header;
        private final Method next;

        AddKey(ClassLoader cl) throws ReflectiveOperationException {
            Class<?> req = Class.forName("io.restassured.specification.FilterableRequestSpecification", true, cl);
            Class<?> res = Class.forName("io.restassured.specification.FilterableResponseSpecification", true, cl);
            headers = req.getMethod("getHeaders");
            has = Class.forName("io.restassured.http.Headers", true, cl).getMethod("hasHeaderWithName", String.class);
            header = req.getMethod("header", String.class, Object.class, Object[].class);
            next = Class.forName("io.restassured.filter.FilterContext", true, cl).getMethod("next", req, res);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "filter" -> {
                    if (!(boolean) has.invoke(headers.invoke(args[0]), "Authorization")) {
                        header.invoke(args[0], "Authorization", "Bearer " + ADMIN, new Object[0]);
                    }
                    return next.invoke(args[2], args[0], args[1]);
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "toString" -> {
                    return "DefaultApiKey filter";
                }
                default -> throw new UnsupportedOperationException(method.getName());
            }
        }
    }
}
