/**
 * The file types the desk shows from memory: images and sound a browser decodes without running
 * anything. The desk's server serves only these to its page; everything else (SVG, HTML, PDF) is saved.
 */
export const SHOWN_TYPES = /^(image\/(png|jpeg|gif|webp)|audio\/(wav|x-wav|wave|webm|ogg|mpeg|mp4))$/;
