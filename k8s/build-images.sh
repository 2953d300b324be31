#!/usr/bin/env bash
# Builds the four service images from their Dockerfiles and pushes them.
#
#   k8s/build-images.sh REPOSITORY TAG [--no-push]
#
#   REPOSITORY  registry and path the images go under, e.g. registry.example.com/loyalty;
#               images are named REPOSITORY/<service>:TAG
#   TAG         the release, e.g. 1.2.3 or a git sha ("latest" is refused: the manifests pin versions)
#   --no-push   build only, e.g. for a kind cluster: k8s/build-images.sh loyalty 0.1.0 --no-push, then
#               kind load docker-image loyalty/survey-service:0.1.0 (and the other three)
#
# Environment: DOCKER (default docker; podman works), BASE_IMAGE (passed as --build-arg, e.g. the base
# image pinned by digest), SKIP_MAVEN=1 (reuse jars already in */target).
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[[ $# -ge 2 && $# -le 3 ]] || usage
repository=${1%/}
tag=$2
push=true
if [[ $# -eq 3 ]]; then
  [[ $3 == --no-push ]] || usage
  push=false
fi
if [[ -z $repository || -z $tag ]]; then
  usage
fi
if [[ ${tag,,} == latest ]]; then
  echo "refusing tag 'latest': the manifests pin an explicit version" >&2
  exit 2
fi
if [[ ! $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then
  echo "not a valid image tag: $tag" >&2
  exit 2
fi

docker=${DOCKER:-docker}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
services=(survey-service ticket-service clv-service gateway)
cd "$root"

if [[ ${SKIP_MAVEN:-0} != 1 ]]; then
  # the services and the modules they depend on; tests run in CI, not here
  ./mvnw -q -B -pl "$(IFS=,; echo "${services[*]}")" -am package -DskipTests
fi

build_args=()
if [[ -n ${BASE_IMAGE:-} ]]; then
  build_args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
fi

for service in "${services[@]}"; do
  jars=("$service"/target/"$service"-*.jar)
  if [[ ${#jars[@]} -ne 1 || ! -f ${jars[0]} ]]; then
    echo "expected exactly one $service/target/$service-*.jar, found: ${jars[*]}" >&2
    exit 1
  fi
  image="$repository/$service:$tag"
  echo "building $image"
  "$docker" build ${build_args[@]+"${build_args[@]}"} --tag "$image" "$service"
  if $push; then
    echo "pushing $image"
    "$docker" push "$image"
  fi
done

echo
echo "Point an overlay at these images (from its directory, e.g. k8s/overlays/production):"
for service in "${services[@]}"; do
  echo "  kustomize edit set image loyalty/$service=$repository/$service:$tag"
done
