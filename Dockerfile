# sfmc-scan in a container: `docker build -t sfmc-scan .`, then
#   docker run --rm -v "$PWD:/src" sfmc-scan scan .
#   docker run --rm -v "$PWD:/src" sfmc-scan git
# The build stage makes the .deb with scripts/package.sh; the runtime stage installs it
# with scripts/install-deb.sh. tests/install/ runs the same two scripts (the second in
# a debootstrap root of Debian 12), so what the image does is what the tests check.

FROM debian:12-slim AS build
COPY . /src
WORKDIR /src
RUN scripts/install-deps.sh --build-only
RUN rm -rf build && scripts/package.sh build

FROM debian:12-slim
COPY --from=build /src/build/packages/ /tmp/packages/
COPY scripts/install-deb.sh /tmp/install-deb.sh
RUN sh /tmp/install-deb.sh /tmp/packages/sfmc-scan_*.deb && rm -rf /tmp/packages /tmp/install-deb.sh
USER sfmc
WORKDIR /src
ENTRYPOINT ["sfmc-scan"]
CMD ["--help"]
