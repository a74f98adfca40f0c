// Initialises GOV.UK Frontend components (loaded as <script type="module">).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
