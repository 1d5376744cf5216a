/** Which files metadata removal knows, by name or type; small, so the page can say it before loading the cleaners. */
export const KIND_TESTS = [
  { kind: 'jpeg', test: /\.jpe?g$|^image\/jpeg$/i },
  { kind: 'png', test: /\.png$|^image\/png$/i },
  { kind: 'webp', test: /\.webp$|^image\/webp$/i },
  { kind: 'pdf', test: /\.pdf$|^application\/pdf$/i },
  { kind: 'office', test: /\.(docx|xlsx|pptx|odt|ods|odp)$|officedocument|opendocument/i },
  { kind: 'mp4', test: /\.(mp4|m4v|mov|3gp)$|^video\/(mp4|quicktime|3gpp)$/i },
  { kind: 'wav', test: /\.wav$|^audio\/(wav|x-wav|wave)$/i },
] as const;

export const canClean = (file: { name?: string; type: string }) => KIND_TESTS.some((k) => k.test.test(file.name ?? '') || k.test.test(file.type));
