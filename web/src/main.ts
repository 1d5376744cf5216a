import './styles.css';
import './meldpunt-app.ts';
