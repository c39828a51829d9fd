# syntax=docker/dockerfile:1.7
# The admin UI: a static Vite build served by unprivileged nginx on 8080, which also proxies
# /graphql (HTTP and graphql-ws) to the gateway, /v1/invoices/ to billing and /v1/customers/import
# (streamed CSV uploads) to customers, so the browser talks to one origin.
#   docker build -f deploy/docker/admin-ui.Dockerfile -t thankstar/admin-ui .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/phone/package.json libs/phone/
COPY libs/platform/package.json libs/platform/
COPY services/telephony/package.json services/telephony/
COPY services/customers/package.json services/customers/
COPY services/billing/package.json services/billing/
COPY services/licensing/package.json services/licensing/
COPY gateway/package.json gateway/
COPY admin-ui/package.json admin-ui/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json ./
COPY libs libs
COPY admin-ui admin-ui
RUN npm run -w @thankstar/admin-ui build \
 && if [ -d admin-ui/dist ]; then mv admin-ui/dist /site; else mv admin-ui/build /site; fi

FROM nginxinc/nginx-unprivileged:1.29-alpine AS runtime
ENV GATEWAY_UPSTREAM=gateway:4000 BILLING_UPSTREAM=billing:4003 CUSTOMERS_UPSTREAM=customers:4002
# The image's entrypoint renders /etc/nginx/templates/*.template with the environment.
COPY deploy/docker/admin-ui.nginx.conf.template /etc/nginx/templates/default.conf.template
COPY --from=build /site /usr/share/nginx/html
USER 101
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"]
