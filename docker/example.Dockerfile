# Image of the example app (apps/example), for docker-compose.yml. Build context: the repository root.
# Docker reads docker/example.Dockerfile.dockerignore for this file (BuildKit, the default builder).
FROM node:20-alpine

WORKDIR /app

# Dependencies first, so this layer is rebuilt only when a manifest or the lockfile changes.
COPY package.json package-lock.json ./
COPY libs/snail-job/package.json libs/snail-job/package.json
RUN npm ci --no-audit --no-fund

# Sources, then the library and the apps (npm run build = build:lib + build:apps).
COPY . .
RUN npm run build

ENV NODE_ENV=production
# 3000: HTTP (health, metrics, demo endpoints); 17889: the SnailJob client's gRPC port the server dials.
EXPOSE 3000 17889
USER node
CMD ["node", "apps/example/dist/main.js"]
