package nl.wmogateway.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.store.AuditLog;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests to {@code /admin} and {@code /console} that a browser made on behalf of another site are
 * refused. A browser presents the operator's client certificate by itself, so without this a page
 * elsewhere could post a form to {@code /admin/.../replay} or load a request's detail (and so write
 * a view into the client's access log) in the operator's name. Browsers mark such requests
 * ({@code Sec-Fetch-Site}, {@code Origin}); API clients such as curl send neither and are not
 * affected. A top-level navigation from a link elsewhere is allowed (it changes nothing by itself).
 * Every refusal is audited.
 */
final class OperatorOrigin extends OncePerRequestFilter {

    private static final Set<String> OWN = Set.of("same-origin", "none");

    private final AuditLog audit;

    OperatorOrigin(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> problem = problem(request);
        if (problem.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        audit.record(
                CallerResolver.presented(request)
                        .map(c -> "certificate:" + c.getSubjectX500Principal().getName())
                        .orElse("(none)"),
                "ADMIN",
                Optional.empty(),
                Optional.empty(),
                "CROSS_SITE_REFUSED",
                Optional.of(problem.get() + ": " + request.getMethod() + " " + request.getRequestURI()));
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream()
                .write(("refused: " + problem.get() + "; open the console itself and try again")
                        .getBytes(StandardCharsets.UTF_8));
    }

    /** Why the request looks made for another site, if it does. */
    static Optional<String> problem(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader("Origin");
        boolean reading = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
        if (reading) {
            boolean navigation = "navigate".equals(request.getHeader("Sec-Fetch-Mode"));
            if (site != null && !OWN.contains(site) && !navigation) {
                return Optional.of("a read that another site's page made (Sec-Fetch-Site: " + site + ")");
            }
            return Optional.empty();
        }
        if (site != null) {
            // set by the browser itself, never by a page: it decides where it is present
            return OWN.contains(site)
                    ? Optional.empty()
                    : Optional.of("a change that another site's page made (Sec-Fetch-Site: " + site + ")");
        }
        if (origin != null && !origin.equals(ownOrigin(request))) {
            return Optional.of("a change from another origin (" + origin + ")");
        }
        return Optional.empty();
    }

    /** The gateway's own origin, as the browser names it. */
    static String ownOrigin(HttpServletRequest http) {
        int port = http.getServerPort();
        boolean defaultPort =
                ("https".equals(http.getScheme()) && port == 443) || ("http".equals(http.getScheme()) && port == 80);
        return http.getScheme() + "://" + http.getServerName() + (defaultPort ? "" : ":" + port);
    }

    /** Registers the filter on {@code /admin/*} and {@code /console/*}. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<OperatorOrigin> operatorOrigin(AuditLog audit) {
            FilterRegistrationBean<OperatorOrigin> bean = new FilterRegistrationBean<>(new OperatorOrigin(audit));
            bean.addUrlPatterns("/admin/*", "/console/*");
            return bean;
        }
    }
}
