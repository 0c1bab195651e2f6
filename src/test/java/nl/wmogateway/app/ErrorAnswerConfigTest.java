package nl.wmogateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.ServletWebRequest;

@ExtendWith(OutputCaptureExtension.class)
class ErrorAnswerConfigTest {

    private static Map<String, Object> answer(int status, Exception failure) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/gemeente/beschikkingen");
        request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
        request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, "/gemeente/beschikkingen");
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
        return new ErrorAnswerConfig()
                .errorAttributes()
                .getErrorAttributes(
                        new ServletWebRequest(request),
                        ErrorAttributeOptions.of(
                                ErrorAttributeOptions.Include.MESSAGE, ErrorAttributeOptions.Include.EXCEPTION));
    }

    @Test
    void aServerErrorSaysOnlyThatItHappenedAndGivesTheReferenceTheLogHas(CapturedOutput log) {
        Map<String, Object> answer =
                answer(500, new IllegalStateException("org.h2.jdbc.JdbcSQLException: table locked"));

        assertThat(answer.get("message")).asString().matches("internal error, reference [0-9a-z]{12}");
        assertThat(answer).doesNotContainKeys("exception", "trace");
        assertThat(answer.values())
                .noneSatisfy(v -> assertThat(String.valueOf(v)).contains("h2"));
        assertThat(log.getOut())
                .contains("reference " + answer.get("reference"))
                .contains("JdbcSQLException");
    }

    @Test
    void aClientErrorIsLeftAsItIs() {
        Map<String, Object> answer = answer(404, new IllegalStateException("not found"));

        assertThat(answer).doesNotContainKey("reference");
    }
}
