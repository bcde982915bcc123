package io.dindclusters.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.reflect.Type;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * A JSON request body of this API is an object or nothing: {@code null}, an array, a string or a number is refused
 * with a 400 before it is parsed (Jackson would read {@code null} as "no body", that is, all defaults). An empty
 * body never gets here and keeps its documented meaning.
 */
@ControllerAdvice
class ObjectBodyAdvice extends RequestBodyAdviceAdapter {

    /** How far past leading white space the first character is looked for. */
    private static final int LOOK_AHEAD = 8192;

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
                            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType instanceof Class<?> type && type.isRecord()
                && type.getPackageName().startsWith("io.dindclusters");
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage message, MethodParameter parameter, Type targetType,
                                           Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        var body = new PushbackInputStream(message.getBody(), LOOK_AHEAD);
        byte[] read = new byte[LOOK_AHEAD];
        int count = 0;
        int first = -1;
        while (count < LOOK_AHEAD) {
            int b = body.read();
            if (b < 0) {
                break;
            }
            read[count++] = (byte) b;
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                first = b;
                break;
            }
        }
        body.unread(read, 0, count);
        if (first >= 0 && first != '{') {
            throw new InvalidRequestException("body", "must be a JSON object: a "
                    + ((Class<?>) targetType).getSimpleName() + " is expected");
        }
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return message.getHeaders();
            }
        };
    }
}
