package nl.wmogateway.ops;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;
import nl.wmogateway.inbound.CallerResolver;
import nl.wmogateway.partner.Partners;
import nl.wmogateway.store.AuditLog;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may read {@code /actuator}: the health status (and its liveness and readiness groups) any
 * certificate the TLS handshake accepted, so load balancers and supervisors can probe with their
 * own; metrics and everything else only an operator (routes/partners.yaml {@code operators}).
 * A partner's certificate that asks for more gets 403, and the refusal is audited.
 */
final class ActuatorAccess extends OncePerRequestFilter {

    private final Partners partners;
    private final AuditLog audit;

    ActuatorAccess(Partners partners, AuditLog audit) {
        this.partners = partners;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/actuator/health") || path.startsWith("/actuator/health/")) {
            chain.doFilter(request, response);
            return;
        }
        Optional<X509Certificate> certificate = CallerResolver.presented(request);
        if (certificate.flatMap(partners::operatorFor).isPresent()) {
            chain.doFilter(request, response);
            return;
        }
        audit.record(
                certificate.map(c -> c.getSubjectX500Principal().getName()).orElse("(none)"),
                "ACTUATOR",
                Optional.empty(),
                Optional.empty(),
                "REFUSED",
                Optional.of("not an operator: " + request.getMethod() + " " + path));
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType("application/json");
        response.getOutputStream()
                .write(
                        "{\"status\":403,\"error\":\"only operators may read this; health is open to every trusted certificate\"}"
                                .getBytes(StandardCharsets.UTF_8));
    }

    /** Registers the filter on {@code /actuator/*}. */
    @Configuration(proxyBeanMethods = false)
    static class Registration {

        @Bean
        FilterRegistrationBean<ActuatorAccess> actuatorAccess(Partners partners, AuditLog audit) {
            FilterRegistrationBean<ActuatorAccess> bean =
                    new FilterRegistrationBean<>(new ActuatorAccess(partners, audit));
            bean.addUrlPatterns("/actuator/*");
            return bean;
        }
    }
}
