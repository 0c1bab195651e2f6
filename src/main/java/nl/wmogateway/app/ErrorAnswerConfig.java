package nl.wmogateway.app;

import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import nl.wmogateway.inbound.InternalErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.web.servlet.error.DefaultErrorAttributes;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * The answer to a request that failed outside the FHIR endpoint (the gemeente and care organisation
 * APIs, the operator API, a filter): Spring's error body, where a 5xx says only
 * {@link InternalErrors#message "internal error, reference ..."} and the log holds the exception under
 * that reference.
 */
@Configuration
class ErrorAnswerConfig {

    private static final Logger log = LoggerFactory.getLogger(ErrorAnswerConfig.class);

    @Bean
    public ErrorAttributes errorAttributes() {
        return new DefaultErrorAttributes() {
            @Override
            public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
                Map<String, Object> attributes = super.getErrorAttributes(request, options);
                // the status itself may be left out of the attributes (ErrorAttributeOptions)
                Object status =
                        request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE, RequestAttributes.SCOPE_REQUEST);
                if (status instanceof Integer code && code >= 500) {
                    String reference = InternalErrors.newReference();
                    log.error(
                            "internal error, reference {}: {} {}",
                            reference,
                            code,
                            attributes.get("path"),
                            getError(request));
                    attributes.put("message", InternalErrors.message(reference));
                    attributes.put("reference", reference);
                    attributes.remove("exception");
                    attributes.remove("trace");
                    attributes.remove("errors");
                }
                return attributes;
            }
        };
    }
}
