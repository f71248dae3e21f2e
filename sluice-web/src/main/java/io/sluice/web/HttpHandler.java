package io.sluice.web;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.web.api.Json;
import io.sluice.web.http.Request;
import io.sluice.web.http.Response;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One connection's requests: decoded by Netty, answered by {@link Routes} on the request pool (never on the IO
 * thread), written back. A request the codec could not decode, or a path with {@code ..} after decoding, is a 400.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Routes routes;
    private final Executor pool;

    HttpHandler(Routes routes, Executor pool) {
        this.routes = routes;
        this.pool = pool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
        boolean keepAlive = HttpUtil.isKeepAlive(msg);
        if (!msg.decoderResult().isSuccess()) {
            write(ctx, Json.error(400, "malformed HTTP request"), false);
            return;
        }
        String path;
        try {
            path = new QueryStringDecoder(msg.uri()).path();
        } catch (IllegalArgumentException e) {
            write(ctx, Json.error(400, "malformed path"), keepAlive);
            return;
        }
        if (path.contains("..") || path.indexOf('\0') >= 0) {
            write(ctx, Json.error(400, "path may not contain '..'"), keepAlive);
            return;
        }
        Request request = new Request(msg.method().name(), path, ByteBufUtil.getBytes(msg.content()));
        String authorization = msg.headers().get(HttpHeaderNames.AUTHORIZATION);
        try {
            pool.execute(() -> write(ctx, routes.answer(request, authorization), keepAlive));
        } catch (RejectedExecutionException e) {
            write(ctx, Json.error(503, "too many requests at once; try again"), false);
        }
    }

    private static void write(ChannelHandlerContext ctx, Response r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        response.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(response, r.body().length);
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
