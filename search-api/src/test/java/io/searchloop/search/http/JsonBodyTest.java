package io.searchloop.search.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JsonBodyTest {
    private final JsonBody body =
            JsonBody.parse(
                    "{\"productId\":\"p-1\",\"blank\":\" \",\"number\":7,\"nothing\":null,"
                            + "\"control\":\"a\\u0007b\",\"long\":\"abcdef\"}");

    @Test
    void shouldReadARequiredFieldThatIsPresent() {
        assertThat(body.requiredText("productId", 128)).isEqualTo("p-1");
    }

    @Test
    void shouldRefuseARequiredFieldThatIsMissingOrNull() {
        for (String field : new String[] {"absent", "nothing"}) {
            assertThatThrownBy(() -> body.requiredText(field, 128))
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessage(field + " is required");
        }
    }

    @Test
    void shouldAnswerAnOptionalFieldThatIsMissingOrNullAsEmpty() {
        assertThat(body.optionalText("absent", 128)).isEmpty();
        assertThat(body.optionalText("nothing", 128)).isEmpty();
        assertThat(body.optionalText("productId", 128)).contains("p-1");
    }

    @Test
    void shouldRefuseTextThatIsBlankNotAStringTooLongOrUnprintableWhetherRequiredOrNot() {
        for (String field : new String[] {"blank", "number", "control", "long"}) {
            String message = field + " must be a string of 1 to 5 printable characters";
            assertThatThrownBy(() -> body.requiredText(field, 5)).hasMessage(message);
            assertThatThrownBy(() -> body.optionalText(field, 5)).hasMessage(message);
        }
    }

    @Test
    void shouldRefuseABodyThatIsNotAJsonObject() {
        assertThatThrownBy(() -> JsonBody.parse("{nope")).hasMessage("body is not valid JSON");
        assertThatThrownBy(() -> JsonBody.parse("[1]")).hasMessage("body must be a JSON object");
        assertThatThrownBy(() -> JsonBody.parse("")).hasMessage("body must be a JSON object");
    }
}
